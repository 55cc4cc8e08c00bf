#!/usr/bin/env node
/**
 * After `npm run build` (`npm run check:size`): bundles small apps that import the package the way users do, with
 * esbuild (ESM, minified, code splitting on, platform node, `node:` builtins external), and counts the bytes a
 * bundler loads up front: the entry chunk and every chunk it imports statically, not the chunks behind a dynamic
 * `import()` (zod and the generated schemas load that way, only for `validate: 'full' | 'strict'`).
 * Fails (exit 1) when a fixture is over its budget, naming the biggest inputs of what was loaded up front.
 *
 * The package is resolved through its own package.json `exports` (a `node_modules/workos-events` link to this
 * repository in a temporary folder), so the check sees what an application's bundler sees.
 *
 * Usage: node scripts/check-size.mjs [--budget name=bytes]... [--json]
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The fixtures and their budgets (issue 13): bytes loaded up front, minified, not compressed. */
export const FIXTURES = {
  'verify-only': {
    budget: 15_000,
    code: `import { verifyWorkOSWebhook } from 'workos-events';
export default (payload, signature, secret) => verifyWorkOSWebhook({ payload, signature, secret });`,
  },
  'handler+fetch': {
    budget: 45_000,
    code: `import { createWorkOSWebhookHandler } from 'workos-events';
import { workosFetchHandler } from 'workos-events/web';
const webhooks = createWorkOSWebhookHandler({ secret: 'whsec_size_check' });
webhooks.on('user.created', () => {});
export default workosFetchHandler(webhooks);`,
  },
};

function parseArgs(argv) {
  const budgets = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--budget' || arg.startsWith('--budget=')) {
      const value = arg === '--budget' ? argv[++i] : arg.slice('--budget='.length);
      const match = /^([\w+.-]+)=(\d+)$/.exec(value ?? '');
      if (!match || !(match[1] in FIXTURES)) {
        throw new Error(`--budget expects <fixture>=<bytes> with fixture one of: ${Object.keys(FIXTURES).join(', ')}`);
      }
      budgets[match[1]] = Number(match[2]);
    } else throw new Error(`Unknown argument: ${arg}`);
  }
  return { budgets, json };
}

/** Bytes of the outputs reached from `entry` through static imports, and the inputs that make them up. */
export function upFront(metafile, entry) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of metafile.outputs[file]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) queue.push(imp.path);
    }
  }
  let bytes = 0;
  const inputs = new Map();
  for (const file of seen) {
    const output = metafile.outputs[file];
    bytes += output.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      inputs.set(input, (inputs.get(input) ?? 0) + bytesInOutput);
    }
  }
  const lazy = Object.keys(metafile.outputs).filter((f) => f.endsWith('.js') && !seen.has(f));
  return { bytes, chunks: [...seen], lazyChunks: lazy, inputs: [...inputs].sort((a, b) => b[1] - a[1]) };
}

export async function measure(name, code) {
  const dir = path.join(root, '.tmp', `check-size-${process.pid}-${name.replace(/\W/g, '_')}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(root, path.join(dir, 'node_modules', 'workos-events'), 'dir');
  writeFileSync(path.join(dir, 'app.mjs'), code);
  // Its own tsconfig, so the repository's `paths` (package name → src, for the type-checker) do not apply.
  writeFileSync(path.join(dir, 'tsconfig.json'), '{}');
  try {
    const result = await build({
      entryPoints: [path.join(dir, 'app.mjs')],
      absWorkingDir: dir,
      bundle: true,
      write: false,
      outdir: path.join(dir, 'out'),
      format: 'esm',
      splitting: true,
      minify: true,
      platform: 'node',
      target: 'es2022',
      external: ['node:*'],
      metafile: true,
      logLevel: 'silent',
    });
    const entry = Object.keys(result.metafile.outputs).find((f) => result.metafile.outputs[f].entryPoint);
    const measured = upFront(result.metafile, entry);
    // Inputs reached through the link show as node_modules/workos-events/…: shown relative to the package.
    measured.inputs = measured.inputs.map(([input, bytes]) => [
      input.replace(/^node_modules\/workos-events\//, ''),
      bytes,
    ]);
    return measured;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { budgets, json } = parseArgs(process.argv.slice(2));
  const results = [];
  let failed = false;
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    const budget = budgets[name] ?? fixture.budget;
    const m = await measure(name, fixture.code);
    const over = m.bytes > budget;
    failed ||= over;
    results.push({ name, budget, bytes: m.bytes, margin: budget - m.bytes, lazyChunks: m.lazyChunks.length });
    if (json) continue;
    const verdict = over ? 'OVER BUDGET' : 'ok';
    console.log(
      `check-size: ${name}: ${m.bytes} B up front (budget ${budget} B, margin ${budget - m.bytes} B; ` +
        `${m.chunks.length} chunk(s) up front, ${m.lazyChunks.length} behind import()) ${verdict}`,
    );
    if (over) {
      console.log('  biggest inputs loaded up front:');
      for (const [input, bytes] of m.inputs.slice(0, 10)) console.log(`    ${String(bytes).padStart(8)} B  ${input}`);
    }
  }
  if (json) console.log(JSON.stringify(results, null, 2));
  if (failed) {
    console.error('check-size: over budget (see above). Issue 13 sets the budgets; load heavy code behind import().');
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`check-size: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
