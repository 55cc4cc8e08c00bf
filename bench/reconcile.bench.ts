/**
 * Reconciliation benchmark (`npm run bench -- reconcile`).
 *
 * 20 000 events served by the fake Events API (real HTTP on 127.0.0.1, pages of 100, no added latency), one no-op
 * listener, MemoryIdempotencyStore. Each contender runs 5 times on fresh stores, interleaved with the others (so a
 * noisy neighbour hits all of them alike); the median is reported.
 * 1. Overhead: `reconcile()` vs the hand loop it replaces (`for await (e of listEvents(...)) await
 *    handler.process(e, { source: 'api' })`), on a first pass (every event new) and on a second pass (every event a
 *    duplicate, the steady state of a periodic job). Bare `listEvents` iteration is shown as the floor.
 * 2. Cursor checkpoints with a FileCursorStore (atomic write + fsync): once per page (default) vs after every event,
 *    on 2 000 events.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileCursorStore, listEvents } from '../src/events-api/index.js';
import { createWorkOSWebhookHandler } from '../src/handler/index.js';
import { MemoryIdempotencyStore } from '../src/idempotency/index.js';
import { reconcile } from '../src/reconcile/index.js';
import { createFakeEventGenerator, createFakeWorkOSApi, type FakeWorkOSApi } from '../src/testing/fake-api/index.js';
import type { BenchContext } from './run.js';

const TYPE = 'dsync.user.created';
const EVENTS = 20_000;
const CHECKPOINT_EVENTS = 2_000;
const RUNS = 5;

function handlerOver(store: MemoryIdempotencyStore) {
  return createWorkOSWebhookHandler({ secret: 'whsec_bench', store }).on(TYPE, () => {});
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time and CPU time (user + system, this process: client and fake server alike) of one run, in ms. */
interface Sample {
  wall: number;
  cpu: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

const options = (api: FakeWorkOSApi) => ({ apiKey: api.apiKey, baseUrl: api.url, limit: 100 });

async function floor(api: FakeWorkOSApi): Promise<Sample> {
  return timed(async () => {
    for await (const _ of listEvents({
      ...options(api),
      events: [TYPE],
      rangeStart: new Date(Date.now() - 7_200_000),
    })) {
      // nothing: the cost of reading the stream
    }
  });
}

async function handLoop(api: FakeWorkOSApi, passes: 1 | 2): Promise<Sample> {
  const handler = handlerOver(new MemoryIdempotencyStore());
  const pass = async () => {
    for await (const event of listEvents({
      ...options(api),
      events: [TYPE],
      rangeStart: new Date(Date.now() - 7_200_000),
    })) {
      await handler.process(event, { source: 'api' });
    }
  };
  if (passes === 2) await pass();
  return timed(pass);
}

async function reconciled(api: FakeWorkOSApi, passes: 1 | 2): Promise<Sample> {
  const handler = handlerOver(new MemoryIdempotencyStore());
  const pass = () => reconcile({ ...options(api), handler, since: '2h' });
  if (passes === 2) await pass();
  return timed(pass);
}

async function checkpointed(api: FakeWorkOSApi, checkpoint: 'page' | 'event'): Promise<Sample> {
  const dir = await mkdtemp(path.join(tmpdir(), 'reconcile-bench-'));
  try {
    const handler = handlerOver(new MemoryIdempotencyStore());
    const since = new FileCursorStore(path.join(dir, 'cursor'));
    return await timed(() => reconcile({ ...options(api), handler, since, initialSince: '2h', checkpoint }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs every contender once per round, `RUNS` rounds, and returns each one's median wall and CPU time. */
async function measureAll(ctx: BenchContext, contenders: Record<string, () => Promise<Sample>>) {
  const samples: Record<string, Sample[]> = {};
  for (const label of Object.keys(contenders)) samples[label] = [];
  for (let round = 0; round < RUNS; round++) {
    for (const [label, fn] of Object.entries(contenders)) samples[label]!.push(await fn());
  }
  const medians: Record<string, Sample> = {};
  for (const [label, list] of Object.entries(samples)) {
    medians[label] = { wall: median(list.map((x) => x.wall)), cpu: median(list.map((x) => x.cpu)) };
    ctx.log(
      `${label}: wall ${list.map((x) => x.wall.toFixed(0)).join(', ')} ms; cpu ${list.map((x) => x.cpu.toFixed(0)).join(', ')} ms`,
    );
  }
  return medians;
}

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;

export default async function bench(ctx: BenchContext): Promise<string> {
  const source = (count: number) => ({
    count,
    generate: createFakeEventGenerator({ types: [TYPE], startAt: new Date(Date.now() - 3_600_000), stepMs: 1 }),
  });
  const api = await createFakeWorkOSApi({ events: source(EVENTS) });
  const small = await createFakeWorkOSApi({ events: source(CHECKPOINT_EVENTS) });
  try {
    const m = await measureAll(ctx, {
      bare: () => floor(api),
      hand1: () => handLoop(api, 1),
      ours1: () => reconciled(api, 1),
      hand2: () => handLoop(api, 2),
      ours2: () => reconciled(api, 2),
    });
    const c = await measureAll(ctx, {
      perPage: () => checkpointed(small, 'page'),
      perEvent: () => checkpointed(small, 'event'),
    });
    const [bare, hand1, ours1, hand2, ours2] = [m.bare!, m.hand1!, m.ours1!, m.hand2!, m.ours2!];
    const [perPage, perEvent] = [c.perPage!, c.perEvent!];

    const row = (name: string, x: Sample, base: Sample, n = EVENTS) =>
      `| ${name} | ${x.wall.toFixed(0)} ms | ${rate(n, x.wall)} | ${x.cpu.toFixed(0)} ms | ${(x.cpu / base.cpu).toFixed(2)}× |`;
    return [
      '## Reconciliation',
      '',
      `${EVENTS.toLocaleString('en-US')} \`${TYPE}\` events from the fake Events API (real HTTP on 127.0.0.1, pages of 100, no added latency), a no-op listener, \`MemoryIdempotencyStore\`; median of ${RUNS} interleaved runs. The baseline is the hand loop \`reconcile\` replaces: \`for await (e of listEvents(…)) await handler.process(e, { source: 'api' })\`. The machine is shared with other work, so wall times are noisy (±50 % between runs); the ratio uses CPU time (user + system of the process, which also runs the fake server), which is steadier.`,
      '',
      '| run | wall | events/s | CPU | CPU vs hand loop |',
      '|---|---|---|---|---|',
      row('`listEvents` alone (floor: reading the stream)', bare, hand1),
      row('hand loop, first pass (all new)', hand1, hand1),
      row('`reconcile`, first pass (all new)', ours1, hand1),
      row('hand loop, second pass (all duplicates)', hand2, hand2),
      row('`reconcile`, second pass (all duplicates)', ours2, hand2),
      '',
      `Cursor checkpoints, ${CHECKPOINT_EVENTS.toLocaleString('en-US')} events, \`FileCursorStore\` (temp file + fsync + rename per save):`,
      '',
      '| checkpoint | wall | events/s | CPU | CPU vs per page |',
      '|---|---|---|---|---|',
      row("`'page'` (default: one save per 100 events)", perPage, perPage, CHECKPOINT_EVENTS),
      row("`'event'` (one save per event)", perEvent, perPage, CHECKPOINT_EVENTS),
    ].join('\n');
  } finally {
    await api.close();
    await small.close();
  }
}
