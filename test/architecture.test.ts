/**
 * The import rules of docs/architecture.md, checked on every file under src/: which area may import which, which
 * packages each area may load, and that the root entry's static import graph never reaches zod (the schemas load
 * through one dynamic `import()`). Imports are read with TypeScript's parser (not regexes), so type-only imports,
 * re-exports and dynamic `import()`s are told apart and text in comments or strings is ignored.
 * The self-tests at the end prove the checker reports a forbidden edge.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');

/** An import as written in a file: its specifier, and whether it is type-only or dynamic. */
interface ImportEdge {
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
}

function readImports(fileName: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly: allTypes, dynamic: false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const allTypes =
        node.isTypeOnly ||
        (!!clause &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((e) => e.isTypeOnly));
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly: allTypes, dynamic: false });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      edges.push({ specifier: node.arguments[0].text, typeOnly: false, dynamic: true });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      edges.push({ specifier: node.argument.literal.text, typeOnly: true, dynamic: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The area of a file under src/: its top-level folder, or `entry` for the subpath entry files at the top. */
function areaOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? 'entry' : rel[0]!;
}

/** Areas each area may import (value or type). Itself is always allowed. Mirrors docs/architecture.md. */
const AREA_RULES: Record<string, readonly string[]> = {
  errors: [],
  verify: ['errors'],
  events: ['errors'],
  webhook: ['errors', 'verify', 'events'],
  idempotency: ['errors'],
  'events-api': ['errors', 'events'],
  handler: ['errors', 'verify', 'webhook', 'events', 'idempotency'],
  adapters: ['errors', 'handler'],
  reconcile: ['errors', 'events', 'events-api', 'handler'],
  queues: ['errors', 'events', 'handler'],
  testing: ['errors', 'verify', 'events', 'idempotency', 'events-api'],
  entry: ['errors', 'verify', 'webhook', 'events', 'idempotency', 'events-api', 'handler', 'reconcile'],
  cli: ['*'],
};

/** Packages (besides `node:` builtins) each area may import; type-only imports of them are allowed anywhere in the area. */
const PACKAGE_RULES: Record<string, readonly string[]> = {
  events: ['zod'],
  adapters: ['express', 'fastify', 'next'],
  idempotency: ['better-sqlite3', 'ioredis', 'redis', 'pg'],
  queues: ['bullmq', 'pg-boss'],
  testing: ['fast-check', 'vitest', 'zod'],
  cli: ['commander', 'cli-progress'],
  entry: [],
};

/** The one upward edge: the schema loader's dynamic `import()` of the `workos-events/schemas` entry. */
const LAZY_SCHEMAS = { file: path.join('events', 'schema-loader.ts'), specifier: '../schemas.js' };

const packageName = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

/** The violations of the rules in a set of files (path → text). */
function checkRules(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    const from = areaOf(file);
    const allowed = AREA_RULES[from];
    const rel = path.relative(SRC, file);
    if (!allowed) {
      problems.push(`${rel}: area '${from}' has no rule in AREA_RULES (add it there and to docs/architecture.md)`);
      continue;
    }
    for (const edge of readImports(file, text)) {
      if (edge.specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), edge.specifier);
        if (!target.startsWith(SRC + path.sep)) continue;
        const to = areaOf(target);
        const lazySchemas = edge.dynamic && rel === LAZY_SCHEMAS.file && edge.specifier === LAZY_SCHEMAS.specifier;
        if (to !== from && !allowed.includes('*') && !allowed.includes(to) && !lazySchemas) {
          problems.push(`${rel}: '${from}' may not import '${to}' (${edge.specifier})`);
        }
      } else if (!edge.specifier.startsWith('node:') && !edge.typeOnly) {
        const pkg = packageName(edge.specifier);
        if (from !== 'cli' && !(PACKAGE_RULES[from] ?? []).includes(pkg)) {
          problems.push(`${rel}: '${from}' may not load the package '${pkg}'`);
        }
      }
    }
  }
  return problems;
}

/** Files reached from `start` through static value imports (type-only imports and dynamic `import()` not followed). */
function staticGraph(start: string, files: ReadonlyMap<string, string>): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of readImports(file, files.get(file) ?? '')) {
      if (edge.typeOnly || edge.dynamic || !edge.specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), edge.specifier).replace(/\.js$/, '.ts');
      const candidate = files.has(target) ? target : target.replace(/\.ts$/, '/index.ts');
      if (files.has(candidate)) queue.push(candidate);
    }
  }
  return seen;
}

function sourceFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(file, readFileSync(file, 'utf8'));
  }
  return out;
}

const files = sourceFiles(SRC);

describe('import rules (docs/architecture.md)', () => {
  it('reads every source file', () => {
    expect(files.size).toBeGreaterThan(100);
    expect(files.has(path.join(SRC, 'index.ts'))).toBe(true);
  });

  it('no file imports an area or a package its area may not', () => {
    expect(checkRules(files)).toEqual([]);
  });

  it('verify and events do not import each other (one error module instead)', () => {
    for (const [file, text] of files) {
      const area = areaOf(file);
      if (area !== 'verify' && area !== 'events') continue;
      const other = area === 'verify' ? 'events' : 'verify';
      const edges = readImports(file, text).filter(
        (e) => e.specifier.startsWith('.') && areaOf(path.resolve(path.dirname(file), e.specifier)) === other,
      );
      expect(edges, path.relative(SRC, file)).toEqual([]);
    }
  });

  it('the root entry never reaches zod or the generated schemas statically (they load on demand)', () => {
    const reached = staticGraph(path.join(SRC, 'index.ts'), files);
    expect(reached.size).toBeGreaterThan(20);
    const heavy = [...reached].filter(
      (f) =>
        /generated[\\/](schemas|examples)\.ts$/.test(f) ||
        readImports(f, files.get(f)!).some((e) => e.specifier === 'zod' && !e.typeOnly),
    );
    expect(heavy.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('the schemas are behind exactly one dynamic import() (the CLI aside)', () => {
    const dynamic = [...files]
      .filter(([file]) => areaOf(file) !== 'cli')
      .flatMap(([file, text]) =>
        readImports(file, text)
          .filter((e) => e.dynamic && e.specifier.startsWith('.'))
          .map((e) => `${path.relative(SRC, file)} → ${e.specifier}`),
      );
    expect(dynamic).toEqual([`${LAZY_SCHEMAS.file} → ${LAZY_SCHEMAS.specifier}`]);
  });
});

describe('the checker can fail', () => {
  const fake = (entries: Record<string, string>) =>
    new Map(Object.entries(entries).map(([rel, text]) => [path.join(SRC, rel), text]));

  it('reports verify importing events, and events importing the handler', () => {
    const problems = checkRules(
      fake({
        'verify/x.ts': "import { parseWorkOSEvent } from '../events/parse.js';",
        'events/y.ts': "export { createWorkOSWebhookHandler } from '../handler/create-handler.js';",
        'events/z.ts': "import type { WorkOSWebhookHandler } from '../handler/types.js';",
        'events/w.ts': "export const load = () => import('../schemas.js');",
      }),
    );
    expect(problems).toEqual([
      `verify${path.sep}x.ts: 'verify' may not import 'events' (../events/parse.js)`,
      `events${path.sep}y.ts: 'events' may not import 'handler' (../handler/create-handler.js)`,
      `events${path.sep}z.ts: 'events' may not import 'handler' (../handler/types.js)`,
      `events${path.sep}w.ts: 'events' may not import 'entry' (../schemas.js)`,
    ]);
  });

  it('reports a framework or driver loaded outside its area, but not a type-only import of it', () => {
    const problems = checkRules(
      fake({
        'handler/a.ts': "import express from 'express';",
        'handler/b.ts': "import type { Request } from 'express';",
        'verify/c.ts': "const z = await import('zod');",
        'newarea/d.ts': '',
      }),
    );
    expect(problems).toEqual([
      `handler${path.sep}a.ts: 'handler' may not load the package 'express'`,
      `verify${path.sep}c.ts: 'verify' may not load the package 'zod'`,
      `newarea${path.sep}d.ts: area 'newarea' has no rule in AREA_RULES (add it there and to docs/architecture.md)`,
    ]);
  });

  it('follows static value imports only when walking the graph, and ignores text in comments and strings', () => {
    const files = fake({
      'index.ts':
        "export * from './a.js';\nimport type { T } from './types.js';\n// import './c.js'\nconst s = \"import './c.js'\";",
      'a.ts': "import { z } from 'zod';\nexport const lazy = () => import('./b.js');",
      'b.ts': '',
      'c.ts': '',
      'types.ts': '',
    });
    const reached = [...staticGraph(path.join(SRC, 'index.ts'), files)].map((f) => path.relative(SRC, f)).sort();
    expect(reached).toEqual(['a.ts', 'index.ts']);
    expect(readImports('a.ts', files.get(path.join(SRC, 'a.ts'))!)).toEqual([
      { specifier: 'zod', typeOnly: false, dynamic: false },
      { specifier: './b.js', typeOnly: false, dynamic: true },
    ]);
  });
});
