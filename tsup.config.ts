import { existsSync, readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';
import { edgeSiblings } from './scripts/edge-siblings.js';

/**
 * Entries are derived from package.json `exports`, so adding a subpath is one entry there:
 * `"./x": { "module": "./dist/<p>.js", "import": "./dist/node/<p>.js", ... }` builds `src/<p>.ts` (or
 * `src/<p>/index.ts`) three ways:
 * - `dist/<p>.js` (`module` condition: bundlers): ESM with code splitting, so a bundler drops whole chunks an app does
 *   not use (verify-only apps do not load the handler); also the `.d.ts`/`.d.cts` types of every condition;
 * - `dist/node/<p>.js|.cjs` (`import`/`require`: Node): one file per entry, no shared chunks, because every extra
 *   file costs a fresh process time at import; syntax minified (identifiers and lines kept). The schemas stay behind a dynamic `import('workos-events/schemas')` (a `require` in the CJS files);
 *   errors and the handler brand are recognised across the copies (`Symbol.for` brands);
 * - `dist/edge/<p>.js` when the `workerd` condition points there, with the node:crypto implementation swapped for
 *   the WebCrypto one.
 */
type Conditions = Record<string, unknown>;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  exports: Record<string, Conditions | string>;
};

function distTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return distTarget((value as Conditions).default);
  return undefined;
}

function entryName(distFile: string): string {
  return distFile.replace(/^\.\/dist\//, '').replace(/\.(c|m)?js$/, '');
}

function sourceOf(name: string): string | undefined {
  for (const candidate of [`src/${name}.ts`, `src/${name}/index.ts`]) if (existsSync(candidate)) return candidate;
  // publint (npm run check:package) fails on an exported file that was not built, so this cannot ship silently.
  console.warn(`tsup: no source for exported entry '${name}' (expected src/${name}.ts or src/${name}/index.ts)`);
  return undefined;
}

const nodeEntries: Record<string, string> = {};
const edgeEntries: Record<string, string> = {};
for (const [subpath, conditions] of Object.entries(pkg.exports)) {
  if (subpath === './package.json' || typeof conditions === 'string') continue;
  const esm = distTarget(conditions.module ?? conditions.import);
  if (!esm) continue;
  const name = entryName(esm);
  const source = sourceOf(name);
  if (!source) continue;
  nodeEntries[name] = source;
  const edge = distTarget(conditions.workerd);
  if (edge) edgeEntries[entryName(edge).replace(/^edge\//, '')] = source;
}

const publicEntries = { ...nodeEntries };

// Internal entries that only shape the chunks: code reached by the same set of entries shares a chunk, so without an
// entry that reaches verification but not the handler, both would land in one chunk, and a verify-only app would load
// the handler too (bundlers drop unused chunk files whole thanks to `sideEffects: false`, not unused classes inside
// them). Not in `exports`: nothing imports these files by name.
const chunkShapers: Record<string, string> = {
  'internal/webhook': 'src/webhook/index.ts',
  'internal/events': 'src/events/index.ts',
};
for (const [name, source] of Object.entries(chunkShapers)) {
  nodeEntries[name] = source;
  edgeEntries[name] = source;
}

/** Node build: the lazily loaded schemas are the package's own `./schemas` entry, reached by self-reference. */
const schemasBySelfReference: Plugin = {
  name: 'schemas-by-self-reference',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/schemas\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: `${pkg.name}/schemas`, external: true } : undefined,
    );
  },
};

/**
 * CJS Node build: load the schemas with `require`, not `import()`. A CommonJS test runner such as Jest runs modules in
 * a VM context where `import()` throws unless Node runs with `--experimental-vm-modules`.
 */
const schemasByRequireInCjs = {
  name: 'schemas-by-require-in-cjs',
  renderChunk(code: string, info: { path: string }) {
    if (!info.path.endsWith('.cjs')) return undefined;
    const pattern = /import\((["'])workos-events\/schemas\1\)/g;
    if (!pattern.test(code)) return undefined;
    return { code: code.replace(pattern, "Promise.resolve().then(() => require('workos-events/schemas'))") };
  },
};

const shared: Options = {
  target: 'node20',
  sourcemap: true,
  treeshake: true,
  splitting: true,
  external: [/^node:/],
};

const bin = (pkg as { bin?: Record<string, string> }).bin ?? {};
const binEntries: Record<string, string> = {};
for (const target of Object.values(bin)) {
  const name = entryName(target);
  const source = sourceOf(name);
  if (source) binEntries[name] = source;
}

const configs: Options[] = [
  { ...shared, entry: nodeEntries, format: ['esm', 'cjs'], dts: true, clean: true, outDir: 'dist' },
  {
    ...shared,
    entry: publicEntries,
    format: ['esm', 'cjs'],
    splitting: false,
    dts: false,
    outDir: 'dist/node',
    // Syntax minified only: whitespace minification saved ≈ 0.6 ms of a cold import but put each file on one line, so
    // Node printed ~80 KB of source with an uncaught error thrown from the library.
    minifySyntax: true,
    esbuildPlugins: [schemasBySelfReference],
    plugins: [schemasByRequireInCjs],
  },
  // The CLI is ESM only, with its argument parser and progress bar bundled in: zod stays the only dependency.
  ...(Object.keys(binEntries).length
    ? [
        {
          ...shared,
          entry: binEntries,
          format: ['esm'],
          dts: false,
          outDir: 'dist',
          noExternal: ['commander', 'cli-progress'],
        } satisfies Options,
      ]
    : []),
  {
    ...shared,
    entry: edgeEntries,
    format: ['esm'],
    dts: false,
    outDir: 'dist/edge',
    platform: 'neutral',
    target: 'es2022',
    esbuildPlugins: [edgeSiblings],
  },
];

export default defineConfig(configs);
