/**
 * Bundles an app module the way the deploy tools of edge runtimes do, so the edge tests run (and measure) what users
 * deploy: `workos-events` resolves through the package's `exports` map to the built `dist/edge/` files, selected by
 * the runtime's export condition.
 *
 * - `workerd`: as wrangler bundles a Worker (packages/wrangler/src/deployment-bundle/bundle.ts: ESM, conditions
 *   `workerd, worker, browser`, target es2024, esbuild's default platform, `cloudflare:*` left to the runtime),
 *   minified as `wrangler deploy --minify`.
 * - `edge-light`: as Next.js bundles an edge route (the `edge-light` condition first), as a classic script, which is
 *   what Vercel's `edge-runtime` evaluates.
 *
 * Run after `npm run build` to print the size of a Worker that verifies and dispatches webhooks:
 *   npx tsx scripts/edge-bundle.ts [entry]   (default test/edge/fixtures/worker.ts)
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What wrangler passes to esbuild for a modules-format Worker. */
const WORKERD: BuildOptions = {
  format: 'esm',
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2024',
  external: ['cloudflare:*'],
};

/** The edge-light build as a script for `new EdgeRuntime({ initialCode })`. */
const EDGE_LIGHT: BuildOptions = {
  format: 'iife',
  conditions: ['edge-light', 'worker', 'browser'],
  target: 'es2022',
};

/** The built files every edge bundle must come from (the runtime-specific entries of package.json `exports`). */
export const EDGE_DIST_FILES = ['dist/edge/index.js', 'dist/edge/adapters/web.js', 'dist/edge/adapters/next.js'];

/** A module to bundle: a file, or source text resolved from a directory (a test harness around a fixture). */
export type EdgeEntry = { file: string } | { contents: string; resolveDir: string };

export interface EdgeBundle {
  code: string;
  /** Bytes of the minified bundle (what the 64 MiB Workers limit counts). */
  bytes: number;
  /** Bytes after gzip at zlib's default level, as `wrangler deploy` reports (`Total Upload: … / gzip: …`). */
  gzipBytes: number;
  /** Files that went into the bundle, relative to the repository, `/`-separated. */
  inputs: string[];
  /** Imports left for the runtime to provide (only `cloudflare:*` for workerd). */
  externals: string[];
}

export async function bundleForEdge(runtime: 'workerd' | 'edge-light', entry: EdgeEntry): Promise<EdgeBundle> {
  const result = await build({
    ...(runtime === 'workerd' ? WORKERD : EDGE_LIGHT),
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: entry.resolveDir, sourcefile: 'harness.ts', loader: 'ts' } }),
    absWorkingDir: REPO,
    // Not the repository's tsconfig: its `paths` map `workos-events` to src/ for type-checking the fixtures, and a
    // user's build resolves the package through its exports map instead.
    tsconfigRaw: {},
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  return {
    code,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code).byteLength,
    inputs: Object.keys(result.metafile.inputs).map((f) => f.split(path.sep).join('/')),
    externals: Object.values(result.metafile.outputs).flatMap((o) =>
      o.imports.filter((i) => i.external).map((i) => i.path),
    ),
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the edge build cannot be used yet (missing, or older than src/), or undefined when it is ready. */
export function edgeDistProblem(): string | undefined {
  const missing = EDGE_DIST_FILES.filter((f) => !existsSync(path.join(REPO, f)));
  if (missing.length) return `${missing.join(', ')} missing: run \`npm run build\` first`;
  const built = Math.min(...EDGE_DIST_FILES.map((f) => statSync(path.join(REPO, f)).mtimeMs));
  if (built < newestMtime(path.join(REPO, 'src'))) return 'dist/edge is older than src/: run `npm run build` first';
  return undefined;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const problem = edgeDistProblem();
  if (problem) {
    console.error(`edge-bundle: ${problem}`);
    process.exit(1);
  }
  const file = path.resolve(process.argv[2] ?? path.join(REPO, 'test/edge/fixtures/worker.ts'));
  const bundle = await bundleForEdge('workerd', { file });
  console.log(
    `${path.relative(REPO, file)} for workerd: ${bundle.bytes} bytes minified, ${bundle.gzipBytes} bytes gzip ` +
      `(${bundle.inputs.filter((f) => f.startsWith('dist/edge/')).join(', ')} + ${bundle.inputs.length} inputs in all)`,
  );
}
