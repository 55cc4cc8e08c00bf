/**
 * Cold start benchmark (`npm run bench -- cold-start`), issue 13's goals:
 * - import of the root entry + first `verifyWorkOSWebhookSync`, vs `import('@workos-inc/node')` + first
 *   `webhooks.constructEvent` (goal ≤ 0.5×);
 * - import of the root + `workos-events/express` + `createWorkOSWebhookHandler`, vs the same SDK baseline (≤ 0.75×).
 *
 * Every figure is the median of COLD_START_RUNS (default 15) fresh Node 22 processes (the SDK needs Node ≥ 22), all
 * measured in the same run, from the built dist/ (run `npm run build` first), imported by package name as an app does
 * (the repository resolves `workos-events` to itself through its `exports`, so Node picks `dist/node/`). Each child
 * times from just before its first `import()` to just after the first call, so Node's own boot is not counted.
 * On a Node older than 22 without scripts/with-node.sh the bench says so and measures nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, measure } from '../scripts/check-size.mjs';
import { eventBody } from '../test/verify/fixtures.js';
import type { BenchContext } from './run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Math.max(11, Number(process.env.COLD_START_RUNS ?? 15));
const SECRET = 'whsec_cold_start_bench';

/** The shared realistic delivery of the verify tests and benches (test/verify/fixtures.ts), signed now. */
function delivery(): { body: string; header: string } {
  const body = eventBody;
  const t = Date.now();
  const v1 = createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');
  return { body, header: `t=${t}, v1=${v1}` };
}

const OURS_VERIFY = `
const t0 = performance.now();
const m = await import('workos-events');
const e = m.verifyWorkOSWebhookSync({ payload: process.env.BODY, signature: process.env.HEADER, secret: process.env.SECRET });
const t1 = performance.now();
if (e.event !== 'dsync.user.created') throw new Error('bad event');
console.log(JSON.stringify({ ms: t1 - t0 }));`;

const OURS_EXPRESS = `
const t0 = performance.now();
const m = await import('workos-events');
const x = await import('workos-events/express');
const h = m.createWorkOSWebhookHandler({ secret: process.env.SECRET });
h.on('dsync.user.created', () => {});
const mw = x.workosWebhook(h);
const t1 = performance.now();
if (typeof mw !== 'function') throw new Error('no middleware');
console.log(JSON.stringify({ ms: t1 - t0 }));`;

const SDK_VERIFY = `
const t0 = performance.now();
const { WorkOS } = await import('@workos-inc/node');
const e = await new WorkOS('sk_test_cold_start').webhooks.constructEvent({ payload: JSON.parse(process.env.BODY), sigHeader: process.env.HEADER, secret: process.env.SECRET });
const t1 = performance.now();
if (e.event !== 'dsync.user.created') throw new Error('bad event');
console.log(JSON.stringify({ ms: t1 - t0 }));`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function node22(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  try {
    return execFileSync('bash', ['scripts/with-node.sh', '22', 'sh', '-c', 'command -v node'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

type Scenario = 'ours-verify' | 'ours-express' | 'sdk-verify';
const SCRIPTS: Record<Scenario, string> = {
  'ours-verify': OURS_VERIFY,
  'ours-express': OURS_EXPRESS,
  'sdk-verify': SDK_VERIFY,
};

export default async function coldStart(ctx: BenchContext): Promise<string> {
  if (!existsSync(path.join(root, 'dist/node/index.js'))) {
    return '## Cold start\n\nNot measured: dist/node/index.js is missing (run `npm run build` first).';
  }
  const node = node22();
  if (!node) {
    const msg = `cold-start: skipped, Node ${process.version} cannot run @workos-inc/node 11 and Node 22 is unavailable`;
    ctx.log(msg);
    return `## Cold start\n\nNot measured: ${msg}.`;
  }
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const { body, header } = delivery();
  const env = {
    ...process.env,
    BODY: body,
    HEADER: header,
    SECRET,
  };
  const samples: Record<Scenario, number[]> = { 'ours-verify': [], 'ours-express': [], 'sdk-verify': [] };
  // Interleaved, so a burst of load from elsewhere hits every scenario alike.
  for (let i = 0; i < RUNS; i++) {
    ctx.log(`cold-start: round ${i + 1}/${RUNS}`);
    for (const scenario of Object.keys(SCRIPTS) as Scenario[]) {
      const out = execFileSync(node, ['--input-type=module', '-e', SCRIPTS[scenario]], {
        cwd: root,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      samples[scenario].push((JSON.parse(out.trim().split('\n').pop()!) as { ms: number }).ms);
    }
  }
  const sdk = median(samples['sdk-verify']);
  const verify = median(samples['ours-verify']);
  const express = median(samples['ours-express']);
  // The bytes a bundler loads up front, as `npm run check:size` measures them (same fixtures, same budgets).
  const sizeRows: string[] = [];
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    const m = await measure(name, fixture.code);
    sizeRows.push(
      `| ${name} | ${m.bytes.toLocaleString('en-US')} | ${fixture.budget.toLocaleString('en-US')} | ${(fixture.budget - m.bytes).toLocaleString('en-US')} | ${m.lazyChunks.length} |`,
    );
  }
  const range = (s: Scenario) => `${Math.min(...samples[s]).toFixed(1)}–${Math.max(...samples[s]).toFixed(1)}`;
  return [
    '## Cold start: import + first use vs the official SDK',
    '',
    `${ctx.machine}; ${ctx.date}; children on Node ${nodeVersion}. \`npm run bench -- cold-start\` (after \`npm run build\`).`,
    `Median of ${RUNS} fresh processes per row, interleaved; each child times from before its first \`import()\` to after the first call.`,
    '',
    '| what | median ms | range ms | ratio vs SDK | goal |',
    '|---|---:|---:|---:|---:|',
    `| \`import('@workos-inc/node')\` + first \`webhooks.constructEvent\` (baseline) | ${sdk.toFixed(1)} | ${range('sdk-verify')} | 1.00× | – |`,
    `| \`import('workos-events')\` + first \`verifyWorkOSWebhookSync\` | ${verify.toFixed(1)} | ${range('ours-verify')} | ${(verify / sdk).toFixed(2)}× | ≤ 0.5× |`,
    `| root + \`workos-events/express\` + \`createWorkOSWebhookHandler\` + \`workosWebhook\` | ${express.toFixed(1)} | ${range('ours-express')} | ${(express / sdk).toFixed(2)}× | ≤ 0.75× |`,
    '',
    'Before issue 13 (main at c2b9a57, this bench, same machine and day): 3.13× and 3.91× the SDK (the root imported zod',
    'and every generated schema).',
    '',
    '### Bytes a bundler loads up front (`npm run check:size`)',
    '',
    'esbuild, ESM, minified, code splitting, platform node; chunks behind a dynamic `import()` (zod and the generated',
    'schemas) not counted. Fixtures: `verify-only` imports `verifyWorkOSWebhook`; `handler+fetch` creates a handler',
    'and wraps it with `workosFetchHandler`.',
    '',
    '| fixture | bytes up front | budget | margin | chunks behind import() |',
    '|---|---:|---:|---:|---:|',
    ...sizeRows,
    '',
    'Before issue 13: ≈ 540 KB (verify-only) and ≈ 543 KB (handler + Fetch) up front, zod and all schemas included.',
  ].join('\n');
}
