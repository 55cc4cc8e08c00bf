#!/usr/bin/env node
/**
 * After `npm run build`: fails (exit 1) when any file of the edge build (dist/edge/**\/*.js) imports a Node
 * builtin statically — `import … from "node:x"`, `export … from "node:x"`, `require("node:x")`, or a bare builtin
 * such as "crypto" — naming the file and the import. Dynamic `import()`s of builtins are reported as warnings
 * (they only fail when reached). Imports are read with esbuild's parser (via its metafile), not with regexes, so
 * text inside strings and comments cannot cause false alarms.
 *
 * Usage: node scripts/check-edge-build.mjs [dir]   (default dist/edge)
 */
import { existsSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(process.argv[2] ?? 'dist/edge');
if (!existsSync(root)) {
  console.error(`check-edge-build: ${path.relative(process.cwd(), root)} does not exist; run \`npm run build\` first.`);
  process.exit(1);
}

/** @param {string} dir @returns {string[]} */
function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(full);
    return /\.(m|c)?js$/.test(entry.name) ? [full] : [];
  });
}

const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));
/** @param {string} spec */
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]);

const files = jsFiles(root);
if (files.length === 0) {
  console.error(`check-edge-build: no .js files under ${path.relative(process.cwd(), root)}.`);
  process.exit(1);
}

const result = await build({
  entryPoints: files,
  bundle: true,
  write: false,
  metafile: true,
  format: 'esm',
  platform: 'neutral',
  outdir: path.join(root, '.check'),
  logLevel: 'silent',
  // Keep every import as written: we only want the parser's list of each file's imports.
  plugins: [
    {
      name: 'all-external',
      setup: (b) =>
        b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'entry-point' ? undefined : { path: a.path, external: true })),
    },
  ],
});

const failures = [];
const warnings = [];
for (const [input, info] of Object.entries(result.metafile.inputs)) {
  for (const imp of info.imports) {
    if (!isBuiltin(imp.path)) continue;
    const line = `${input}: ${imp.kind} "${imp.path}"`;
    if (imp.kind === 'dynamic-import') warnings.push(line);
    else failures.push(line);
  }
}

for (const w of warnings) console.warn(`check-edge-build: warning: dynamic import of a Node builtin: ${w}`);
if (failures.length) {
  console.error(`check-edge-build: the edge build imports Node builtins (it must run on workerd/edge-light/browsers):`);
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
console.log(
  `check-edge-build: ${files.length} files under ${path.relative(process.cwd(), root)}, no Node builtin imports.`,
);
