/**
 * Queue mode on BullMQ (`npm run bench -- queues`), against the machine's Redis (REDIS_URL):
 *
 * 1. Acknowledgements per second over HTTP: Express + `workos-events/express` in a child process, autocannon here,
 *    every request a distinct signed 1 KB event. Baseline: inline mode with a 20 ms listener (the work WorkOS waits
 *    for), Redis idempotency store. Queue mode: `bullmqQueue` (add + the failed-job check), and for the price of
 *    that check, a queue whose `enqueue` only calls `queue.add`.
 * 2. Events per second through one worker process (here, no HTTP): N jobs added up front, then one
 *    `createBullMQWorker` (no-op listener, Redis store) drains them. Baseline: a bare BullMQ `Worker` with a no-op
 *    processor on the same kind of jobs, so the ratio is what the handler (claim + complete in Redis) costs.
 *
 * Runs alternate and the tables show the median of the rounds.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { BenchContext } from './run.js';

const SECRET = 'whsec_bench_queues_0123456789';
const SERVE_ENV = 'WORKOS_EVENTS_BENCH_SERVE';
const PATH = '/webhooks/workos';
const HERE = fileURLToPath(import.meta.url);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONNECTIONS = 10;
const LISTENER_MS = 20;
const ROUNDS = 3;
const WORKER_ROUNDS = 5;
const SECONDS_PER_RUN = 4;
const WORKER_JOBS = 4_000;
const WORKER_CONCURRENCY = 8;
const RUN = `${process.pid}-${Date.now().toString(36)}`;

const connection = () => {
  const url = new URL(REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
};

// ---------------------------------------------------------------------------------------------------------------
// Server side (child process)
// ---------------------------------------------------------------------------------------------------------------

type Kind = 'inline' | 'queue' | 'queue-add-only';

async function serve(kind: Kind): Promise<number> {
  const express = (await import('express')).default;
  const { createWorkOSWebhookHandler } = await import('../src/handler/index.js');
  const { workosWebhook } = await import('../src/adapters/express.js');
  let webhooks: ReturnType<typeof createWorkOSWebhookHandler>;
  if (kind === 'inline') {
    const { RedisIdempotencyStore } = await import('../src/idempotency/stores/redis.js');
    const store = new RedisIdempotencyStore({ client: new IORedis(REDIS_URL), prefix: `workos-bench:${RUN}:` });
    webhooks = createWorkOSWebhookHandler({ secret: SECRET, store });
    webhooks.onAny(() => new Promise((resolve) => setTimeout(resolve, LISTENER_MS)));
  } else {
    const queue = new Queue(process.env.BENCH_QUEUE!, { connection: { ...connection(), enableOfflineQueue: false } });
    const { bullmqQueue } = await import('../src/queues/bullmq.js');
    const addOnly = {
      enqueue: (event: { id: string; event: string }, info: { jobId: string }) =>
        queue.add(event.event, event, { attempts: 12, removeOnComplete: true, jobId: info.jobId }),
    };
    webhooks = createWorkOSWebhookHandler({ secret: SECRET, queue: kind === 'queue' ? bullmqQueue(queue) : addOnly });
  }
  const app = express();
  app.post(PATH, workosWebhook(webhooks));
  const server = createServer(app);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const serveKind = process.env[SERVE_ENV] as Kind | undefined;
if (serveKind) {
  serve(serveKind).then(
    (port) => process.send?.({ port }),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Load side (bench runner process)
// ---------------------------------------------------------------------------------------------------------------

function startChild(kind: Kind, queueName: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = fork(HERE, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, [SERVE_ENV]: kind, BENCH_QUEUE: queueName, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m: { port: number }) => resolve({ url: `http://127.0.0.1:${m.port}`, child }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code}) before listening`)));
  });
}

let counter = 0;

function eventBody(): string {
  const id = `event_${RUN.replace(/\W/g, '').toUpperCase()}${String(counter++).padStart(10, '0')}`;
  const make = (pad: string) =>
    JSON.stringify({
      id,
      event: 'dsync.user.created',
      data: {
        object: 'directory_user',
        id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
        directory_id: 'directory_01ECAZ4NV9QMV47GW873HDCX74',
        organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
        email: 'zoe@example.com',
        state: 'active',
        custom_attributes: { notes: pad },
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      },
      created_at: new Date().toISOString(),
    });
  return make('x'.repeat(Math.max(0, 1024 - make('').length)));
}

function signed(n: number): Array<{ body: string; signature: string }> {
  const t = String(Date.now());
  return Array.from({ length: n }, () => {
    const body = eventBody();
    return { body, signature: `t=${t}, v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}` };
  });
}

interface Run {
  rps: number;
  p99: number;
  bad: number;
}

async function load(url: string, seconds: number, expectedRps: number): Promise<Run> {
  const batch = signed(Math.ceil(expectedRps * seconds * 1.5) + 1_000);
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: PATH,
        setupRequest: (req) => {
          const r = batch[next++] ?? signed(1)[0]!;
          return {
            ...req,
            body: r.body,
            headers: { 'content-type': 'application/json', 'workos-signature': r.signature },
          };
        },
      },
    ],
  });
  return {
    rps: result['2xx'] / seconds,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function acknowledgements(ctx: BenchContext, queues: string[]) {
  const kinds: Kind[] = ['inline', 'queue', 'queue-add-only'];
  const children: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    for (const kind of kinds) {
      const name = `workos-bench-${RUN}-${kind}`;
      queues.push(name);
      const { url, child } = await startChild(kind, name);
      children.push(child);
      urls.push(url);
    }
    const peak = new Map<Kind, number>(kinds.map((k) => [k, 2_000]));
    const runs = new Map<Kind, Run[]>(kinds.map((k) => [k, []]));
    for (const [i, kind] of kinds.entries()) await load(urls[i]!, 2, peak.get(kind)!); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, kind] of kinds.entries()) {
        const run = await load(urls[i]!, SECONDS_PER_RUN, peak.get(kind)!);
        peak.set(kind, Math.max(peak.get(kind)!, run.rps));
        runs.get(kind)!.push(run);
        ctx.log(`  round ${round + 1} ${kind}: ${run.rps.toFixed(0)} acks/s, p99 ${run.p99} ms`);
      }
    }
    return kinds.map((kind) => {
      const r = runs.get(kind)!;
      return {
        kind,
        rps: median(r.map((x) => x.rps)),
        p99: median(r.map((x) => x.p99)),
        bad: r.reduce((n, x) => n + x.bad, 0),
      };
    });
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

/** Fills a queue with `n` distinct event jobs (as bullmqQueue would), then times one worker draining it. */
async function drainOnce(kind: 'handler' | 'bare', queues: string[]): Promise<number> {
  const name = `workos-bench-${RUN}-worker-${kind}-${counter}`;
  queues.push(name);
  const queue = new Queue(name, { connection: connection() });
  const jobs = Array.from({ length: WORKER_JOBS }, () => {
    const event = JSON.parse(eventBody()) as { id: string; event: string };
    return { name: event.event, data: event, opts: { jobId: event.id, attempts: 12, removeOnComplete: true } };
  });
  for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
  const redis = new IORedis(REDIS_URL);
  const worker = await createWorker(kind, name, redis);
  await worker.waitUntilReady();
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    worker.on('completed', () => {
      if (++done === WORKER_JOBS) resolve();
    });
  });
  const started = performance.now();
  void worker.run();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.close();
  await redis.quit();
  return WORKER_JOBS / seconds;
}

async function createWorker(kind: 'handler' | 'bare', name: string, redis: IORedis): Promise<Worker> {
  const opts = { connection: connection(), concurrency: WORKER_CONCURRENCY, autorun: false };
  if (kind === 'bare') return new Worker(name, async () => ({ outcome: 'processed' }), opts);
  const { createWorkOSWebhookHandler } = await import('../src/handler/index.js');
  const { RedisIdempotencyStore } = await import('../src/idempotency/stores/redis.js');
  const { createBullMQWorker } = await import('../src/queues/bullmq.js');
  const store = new RedisIdempotencyStore({ client: redis, prefix: `workos-bench:${RUN}:` });
  const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store }).onAny(() => {});
  return createBullMQWorker(webhooks, { queueName: name, ...opts });
}

async function cleanup(queues: string[]): Promise<void> {
  const redis = new IORedis(REDIS_URL);
  for (const name of queues) {
    const queue = new Queue(name, { connection: connection() });
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `workos-bench:${RUN}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

export default async function queuesBench(ctx: BenchContext): Promise<string> {
  const probe = new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let redisVersion: string;
  try {
    await probe.connect();
    redisVersion = /redis_version:(\S+)/.exec(await probe.info('server'))?.[1] ?? '?';
    await probe.quit();
  } catch (error) {
    probe.disconnect();
    return `## Queue mode (BullMQ)\n\nNot measured: Redis at ${REDIS_URL} is not reachable (${(error as Error).message}).`;
  }
  const bullmqVersion = (
    JSON.parse(readFileSync(new URL('../node_modules/bullmq/package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;

  const loadBefore = os.loadavg()[0]!;
  const queues: string[] = [];
  try {
    ctx.log('acknowledgements per second…');
    const acks = await acknowledgements(ctx, queues);
    ctx.log('events per second through one worker…');
    const bare: number[] = [];
    const ours: number[] = [];
    for (let round = 0; round < WORKER_ROUNDS; round++) {
      bare.push(await drainOnce('bare', queues));
      ours.push(await drainOnce('handler', queues));
      ctx.log(
        `  round ${round + 1}: bare ${bare.at(-1)!.toFixed(0)} jobs/s, createBullMQWorker ${ours.at(-1)!.toFixed(0)} events/s`,
      );
    }
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const inline = acks.find((a) => a.kind === 'inline')!;
    const label: Record<Kind, string> = {
      inline: `inline mode, ${LISTENER_MS} ms listener, Redis store (baseline)`,
      queue: '`bullmqQueue` (add + failed-job check)',
      'queue-add-only': 'a queue whose `enqueue` only calls `queue.add`',
    };
    return [
      '## Queue mode (BullMQ)',
      '',
      `BullMQ ${bullmqVersion}, Redis ${redisVersion} on the same machine.`,
      '',
      '### Acknowledgements per second',
      '',
      `autocannon, ${CONNECTIONS} connections, no pipelining, every request a distinct signed 1 KB \`dsync.user.created\` ` +
        'event; Express 5 + `workos-events/express` in a child process. Inline mode answers after its listener ran; ' +
        'queue mode answers once Redis has the job (its listeners run in the workers). Inline throughput is bounded ' +
        `by connections ÷ listener time (${CONNECTIONS} ÷ ${LISTENER_MS} ms = ${fmt((CONNECTIONS * 1000) / LISTENER_MS)}/s here). ` +
        `Median of ${ROUNDS} alternating rounds of ${SECONDS_PER_RUN} s (after a 2 s warm-up of each).`,
      '',
      '| web process | acks/s | × inline | p99 ms | non-2xx/errors |',
      '|---|---:|---:|---:|---:|',
      ...acks.map(
        (a) => `| ${label[a.kind]} | ${fmt(a.rps)} | ${(a.rps / inline.rps).toFixed(1)}× | ${a.p99} | ${a.bad} |`,
      ),
      '',
      '### Events per second through one worker',
      '',
      `${fmt(WORKER_JOBS)} distinct event jobs added up front, then one worker (concurrency ${WORKER_CONCURRENCY}) ` +
        'drains them; time from the worker starting to the last `completed`. Ours: `createBullMQWorker` with a no-op ' +
        'listener and the Redis idempotency store (claim + complete per event). Baseline: a bare BullMQ `Worker` with ' +
        `a no-op processor. Median of ${WORKER_ROUNDS} alternating rounds.`,
      '',
      '| worker | events/s | ratio |',
      '|---|---:|---:|',
      `| bare BullMQ \`Worker\`, no-op processor (baseline) | ${fmt(median(bare))} | 1.00× |`,
      `| \`createBullMQWorker\`, no-op listener, Redis store | ${fmt(median(ours))} | ${(median(ours) / median(bare)).toFixed(2)}× |`,
      '',
      `1-minute load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0]!.toFixed(1)} after the run on ` +
        `${os.cpus().length} cores: the server, the workers, Redis and the load generator share them, so compare the ` +
        'ratios (measured side by side) rather than the absolute rates.',
    ].join('\n');
  } finally {
    await cleanup(queues);
  }
}
