/**
 * Events API benchmark (`npm run bench -- events-api`).
 *
 * 1. Drain: 20 000 events from the fake API answering each page after 100 ms, consumer spending 1 ms per event.
 *    Our `listEvents` (prefetches the next page while the consumer works) vs a hand loop over the official SDK's
 *    `events.listEvents` pages (fetch a page, process it, fetch the next). @workos-inc/node 11 needs Node >= 22, so
 *    this part always runs in a Node 22 child process (both contenders in that same child), whatever Node runs the bench.
 * 2. Memory: iterate 1 000 000 lazily generated events (no delay) and report RSS growth and events/s. The fake runs
 *    in a child process so that this process's RSS is the consumer's alone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listEvents } from '../src/events-api/index.js';
import { createFakeEventGenerator, createFakeWorkOSApi, FAKE_EVENT_TYPES } from '../src/testing/fake-api/index.js';
import type { BenchContext } from './run.js';

const TYPES = [...FAKE_EVENT_TYPES];
const DRAIN_EVENTS = 20_000;
const PAGE_DELAY_MS = 100;
const MEMORY_EVENTS = 1_000_000;
const CHILD_FLAG = '--events-api-drain-child';
const FAKE_FLAG = '--events-api-fake-child';
const MEMORY_FLAG = '--events-api-memory-child';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

interface DrainResult {
  node: string;
  ours: { ms: number; events: number; requests: number };
  sdk: { ms: number; events: number; requests: number };
}

interface SdkEvents {
  listEvents(o: { events: string[]; limit: number; after?: string; order: 'asc' }): Promise<{
    data: { id: string }[];
    listMetadata: { after?: string | null };
  }>;
}
type SdkCtor = new (key: string, o: { apiHostname: string; port: number; https: boolean }) => { events: SdkEvents };

async function drainOurs(): Promise<DrainResult['ours']> {
  const api = await createFakeWorkOSApi({
    events: { count: DRAIN_EVENTS, generate: createFakeEventGenerator() },
    latencyMs: PAGE_DELAY_MS,
  });
  try {
    const started = performance.now();
    let events = 0;
    for await (const _ of listEvents({ events: TYPES, apiKey: api.apiKey, baseUrl: api.url, limit: 100 })) {
      await work();
      events++;
    }
    return { ms: performance.now() - started, events, requests: api.requests.length };
  } finally {
    await api.close();
  }
}

async function drainSdk(): Promise<DrainResult['sdk']> {
  const { WorkOS } = (await import('@workos-inc/node')) as unknown as { WorkOS: SdkCtor };
  const api = await createFakeWorkOSApi({
    events: { count: DRAIN_EVENTS, generate: createFakeEventGenerator() },
    latencyMs: PAGE_DELAY_MS,
  });
  try {
    const { hostname, port } = new URL(api.url);
    const workos = new WorkOS(api.apiKey, { apiHostname: hostname, port: Number(port), https: false });
    const started = performance.now();
    let events = 0;
    let after: string | undefined;
    do {
      const page = await workos.events.listEvents({ events: TYPES, limit: 100, after, order: 'asc' });
      for (const _ of page.data) {
        await work();
        events++;
      }
      after = page.listMetadata.after ?? undefined;
    } while (after);
    return { ms: performance.now() - started, events, requests: api.requests.length };
  } finally {
    await api.close();
  }
}

async function drainChild(): Promise<void> {
  const sdk = await drainSdk();
  const ours = await drainOurs();
  const result: DrainResult = { node: process.version, ours, sdk };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runDrainInNode22(ctx: BenchContext): Promise<DrainResult> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      [path.join(here, '../scripts/with-node.sh'), '22', 'node', '--import', 'tsx', script, CHILD_FLAG],
      { cwd: path.join(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`drain child failed (${code}): ${err.slice(-2000)}`));
      const line = out.trim().split('\n').at(-1) ?? '';
      ctx.log(err.trim());
      resolve(JSON.parse(line) as DrainResult);
    });
  });
}

/** Child: serves MEMORY_EVENTS lazily generated events until its stdin closes. */
async function fakeChild(): Promise<void> {
  const api = await createFakeWorkOSApi({ events: { count: MEMORY_EVENTS, generate: createFakeEventGenerator() } });
  process.stdout.write(`${JSON.stringify({ url: api.url, apiKey: api.apiKey })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void api.close().then(() => process.exit(0)));
}

interface MemoryResult {
  events: number;
  ms: number;
  /** RSS before the first request. */
  startMb: number;
  /** Highest sampled RSS minus startMb. */
  growthMb: number;
  /** Heap in use after a full GC, before and after the run. */
  heapBeforeMb: number;
  heapAfterMb: number;
}

type Consumer = 'ours' | 'bare';

/**
 * Child: one consumer over the fake's MEMORY_EVENTS in a fresh process (so the RSS is that consumer's alone).
 * `ours`: `listEvents`. `bare`: the floor any client pays, `fetch` + `res.json()` page after page, nothing else.
 */
async function memoryChild(kind: Consumer): Promise<void> {
  const url = process.env.FAKE_URL as string;
  const apiKey = process.env.FAKE_KEY as string;
  const gc = (globalThis as { gc?: () => void }).gc;
  const mb = (n: number) => n / 2 ** 20;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let events = 0;
  const sample = (): void => {
    if (++events % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  };
  const started = performance.now();
  if (kind === 'ours') {
    for await (const _ of listEvents({ events: TYPES, apiKey, baseUrl: url, limit: 100 })) sample();
  } else {
    let after: string | undefined;
    do {
      const query = new URLSearchParams({
        events: TYPES.join(','),
        limit: '100',
        order: 'asc',
        ...(after ? { after } : {}),
      });
      const res = await fetch(`${url}/events?${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
      const page = (await res.json()) as { data: unknown[]; list_metadata: { after: string | null } };
      for (const _ of page.data) sample();
      after = page.list_metadata.after ?? undefined;
    } while (after);
  }
  const ms = performance.now() - started;
  gc?.();
  const result: MemoryResult = {
    events,
    ms,
    startMb: mb(rssBefore),
    growthMb: mb(peak - rssBefore),
    heapBeforeMb: mb(heapBefore),
    heapAfterMb: mb(process.memoryUsage().heapUsed),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out.trim().split('\n').at(-1) ?? '')
        : reject(new Error(`child failed (${code}): ${err.slice(-2000)}`)),
    );
  });
}

async function memory(ctx: BenchContext): Promise<Record<string, MemoryResult>> {
  const script = fileURLToPath(import.meta.url);
  const fake = spawn(process.execPath, ['--import', 'tsx', script, FAKE_FLAG], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const { url, apiKey } = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
      let out = '';
      fake.once('error', reject);
      fake.once('exit', (code) => reject(new Error(`fake child exited (${code})`)));
      fake.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string) as { url: string; apiKey: string });
      });
    });
    const env = { FAKE_URL: url, FAKE_KEY: apiKey };
    const results: Record<string, MemoryResult> = {};
    const runs: [string, string[]][] = [
      ['bare', ['--expose-gc', '--import', 'tsx', script, `${MEMORY_FLAG}=bare`]],
      ['ours', ['--expose-gc', '--import', 'tsx', script, `${MEMORY_FLAG}=ours`]],
      [
        'ours, --max-semi-space-size=1',
        ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', script, `${MEMORY_FLAG}=ours`],
      ],
    ];
    for (const [name, args] of runs) {
      ctx.log(`  memory: ${name}…`);
      results[name] = JSON.parse(await runChild(args, env)) as MemoryResult;
    }
    return results;
  } finally {
    fake.removeAllListeners('exit');
    fake.stdin?.end();
  }
}

export default async function bench(ctx: BenchContext): Promise<string> {
  ctx.log(`drain: ${DRAIN_EVENTS} events, ${PAGE_DELAY_MS} ms per page, 1 ms per event (Node 22 child)…`);
  const drain = await runDrainInNode22(ctx);
  ctx.log(`drain: ours ${drain.ours.ms.toFixed(0)} ms, SDK loop ${drain.sdk.ms.toFixed(0)} ms`);
  ctx.log(`memory: ${MEMORY_EVENTS} lazily generated events…`);
  const mem = await memory(ctx);
  const speedup = drain.sdk.ms / drain.ours.ms;
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return [
    '## Events API',
    '',
    `Drain ${DRAIN_EVENTS.toLocaleString('en-US')} events from the fake API (\`createFakeWorkOSApi\`, loopback) answering each page of 100 after ${PAGE_DELAY_MS} ms, with a consumer that spends 1 ms (\`setTimeout(1)\`) per event. Both contenders ran in the same Node ${drain.node} child process (the SDK needs Node ≥ 22).`,
    '',
    '| contender | time (s) | events | requests | ratio |',
    '|---|---:|---:|---:|---:|',
    `| hand loop over \`@workos-inc/node\` 11 \`events.listEvents\` pages (baseline) | ${s(drain.sdk.ms)} | ${drain.sdk.events} | ${drain.sdk.requests} | 1.00× |`,
    `| \`listEvents\` (\`for await\`, one page prefetched) | ${s(drain.ours.ms)} | ${drain.ours.events} | ${drain.ours.requests} | **${speedup.toFixed(2)}× faster** |`,
    '',
    `Target ≥ 1.5× faster: ${speedup >= 1.5 ? 'met' : 'MISSED'}. The prefetch hides each page's ${PAGE_DELAY_MS} ms behind the consumer's work on the previous page, so the drain costs about the consumer's time plus one page; the SDK loop pays both in series.`,
    '',
    `Memory: iterate ${MEMORY_EVENTS.toLocaleString('en-US')} lazily generated events, pages of 100, no delay, Node ${process.version}. The fake serves them from its own child process and each consumer runs in a fresh child process, so each RSS is that consumer's alone. "RSS growth" is the highest RSS (sampled every 10 000 events) minus the RSS before the first request; "heap after GC" is the heap in use after a forced full GC before → after the run (flat = nothing accumulates). Baseline: the floor any client pays, a bare \`fetch\` + \`res.json()\` loop over the same pages.`,
    '',
    '| consumer | events | time (s) | events/s | RSS before (MB) | RSS growth (MB) | heap after GC (MB) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...Object.entries(mem).map(
      ([name, m]) =>
        `| ${name === 'bare' ? 'bare fetch + JSON loop (baseline)' : `\`listEvents\` (${name.replace(/^ours,? ?/, '') || 'default flags'})`} | ${m.events.toLocaleString('en-US')} | ${s(m.ms)} | ${Math.round(m.events / (m.ms / 1000)).toLocaleString('en-US')} | ${m.startMb.toFixed(0)} | ${m.growthMb.toFixed(1)} | ${m.heapBeforeMb.toFixed(1)} → ${m.heapAfterMb.toFixed(1)} |`,
    ),
    '',
    `Target RSS growth < 30 MB with default flags: ${(mem.ours?.growthMb ?? Number.POSITIVE_INFINITY) < 30 ? 'met' : 'MISSED'} (${mem.ours?.growthMb.toFixed(1)} MB; the bare loop: ${mem.bare?.growthMb.toFixed(1)} MB). Heap in use after GC grew by ${((mem.ours?.heapAfterMb ?? 0) - (mem.ours?.heapBeforeMb ?? 0)).toFixed(1)} MB over the run; with a 1 MB young-generation semi-space the RSS growth is ${mem['ours, --max-semi-space-size=1']?.growthMb.toFixed(1)} MB.`,
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
const memoryKind = process.argv.find((a) => a.startsWith(`${MEMORY_FLAG}=`))?.split('=')[1];
if (isMain && (memoryKind === 'ours' || memoryKind === 'bare')) {
  memoryChild(memoryKind).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
if (isMain && process.argv.includes(FAKE_FLAG)) {
  fakeChild().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
if (isMain && process.argv.includes(CHILD_FLAG)) {
  drainChild().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
