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
 *   file costs a fresh process time at import; whitespace and syntax minified (identifiers kept). The schemas stay behind a dynamic `import('workos-events/schemas')`;
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
    // Fewer bytes to parse at a cold start (≈ 0.6 ms of the root's import on Node 22); names stay, source maps map back.
    minifyWhitespace: true,
    minifySyntax: true,
    esbuildPlugins: [schemasBySelfReference],
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
