/**
 * Queue mode on BullMQ, against the machine's Redis (REDIS_URL): one job per event through handle(), retries by the
 * engine, in_progress and shutting_down put back without spending an attempt, the dead letter, an unreachable Redis,
 * foreign job data, and a worker process SIGKILLed mid-run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, type Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { WorkOSEvent } from '../../src/events/index.js';
import { createWorkOSWebhookHandler, type FailureInfo, type WorkOSWebhookHandler } from '../../src/handler/index.js';
import { RedisIdempotencyStore } from '../../src/idempotency/stores/redis.js';
import {
  type BullMQEventJobOptions,
  type BullMQWorkerOptions,
  bullmqQueue,
  createBullMQWorker,
  WorkOSQueueError,
} from '../../src/queues/bullmq.js';
import { bodyOf, SECRET, signedRequest } from '../handler/helpers.js';
import { connectIoRedis, deleteRedisPrefix, REDIS_URL, runId } from '../idempotency/services.js';
import {
  closedPort,
  events,
  inParallel,
  kill,
  lines,
  sleep,
  startWorkerProcess,
  waitUntil,
  withDuplicates,
} from './helpers.js';

const redis = await connectIoRedis();
const skip = typeof redis === 'string';
const url = new URL(REDIS_URL);
const connection = { host: url.hostname, port: Number(url.port || 6379) };
const storePrefix = `workos-events-test:${runId}:bullmq:`;

let counter = 0;
const queues: Queue[] = [];
const workers: Worker[] = [];

/** A fresh queue with a name unique to this run and test. */
function newQueue(): Queue {
  const queue = new Queue(`workos-test-${runId}-${++counter}`, { connection });
  queues.push(queue);
  return queue;
}

function store(): RedisIdempotencyStore {
  return new RedisIdempotencyStore({ client: redis as IORedis, prefix: `${storePrefix}${counter}:` });
}

/** The web process: queue mode, no listener. */
function web(queue: Queue, st: RedisIdempotencyStore, jobOptions?: BullMQEventJobOptions): WorkOSWebhookHandler {
  return createWorkOSWebhookHandler({ secret: SECRET, store: st, queue: bullmqQueue(queue, jobOptions) });
}

function startWorker(handler: WorkOSWebhookHandler, queue: Queue, extra: Partial<BullMQWorkerOptions> = {}): Worker {
  const worker = createBullMQWorker(handler, { queueName: queue.name, connection, concurrency: 8, ...extra });
  worker.on('error', () => {});
  workers.push(worker);
  return worker;
}

async function jobTotal(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

const completed = async (queue: Queue) => (await queue.getJobCounts('completed')).completed ?? 0;

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

afterAll(async () => {
  for (const queue of queues) {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
  if (!skip) {
    await deleteRedisPrefix(redis, storePrefix);
    await redis.quit();
  }
});

describe.skipIf(skip)('BullMQ queue mode (real Redis)', () => {
  it('300 events with 20 % duplicate deliveries through handle() make exactly 300 jobs, each processed once', async () => {
    const queue = newQueue();
    const st = store();
    const webhooks = web(queue, st);
    const list = events(300);
    const deliveries = withDuplicates(list);
    expect(deliveries).toHaveLength(360);

    const answers = await inParallel(deliveries, 12, (event) => webhooks.handle(signedRequest(event)));
    expect(answers.every((r) => r.status === 200 && bodyOf(r).status === 'accepted')).toBe(true);
    expect(await jobTotal(queue)).toBe(300);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(300);
    const job = await queue.getJob(list[0]!.id);
    expect([job?.name, job?.data.id, job?.opts.attempts]).toEqual([list[0]!.event, list[0]!.id, 12]);

    const runs: string[] = [];
    const worker = createWorkOSWebhookHandler({ secret: SECRET, store: st });
    worker.onAny((event) => void runs.push(event.id));
    startWorker(worker, queue);
    await waitUntil('300 completed jobs', async () => (await completed(queue)) === 300);
    expect(runs.sort()).toEqual(list.map((e) => e.id).sort());
    expect((await queue.getJob(list[1]!.id))?.returnvalue).toEqual({ outcome: 'processed' });

    // Re-deliveries after completion, within the removeOnComplete window: still 300 jobs, nothing runs again.
    const late = await inParallel(list.slice(0, 60), 12, (event) => webhooks.handle(signedRequest(event)));
    expect(late.every((r) => r.status === 200)).toBe(true);
    await sleep(200);
    expect(await jobTotal(queue)).toBe(300);
    expect(runs).toHaveLength(300);
  });

  it('listeners failing their first attempt are retried by BullMQ; each event completes once', async () => {
    const queue = newQueue();
    const st = store();
    const webhooks = web(queue, st, { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
    const list = events(20);
    const calls = new Map<string, number>();
    const failures: FailureInfo[] = [];
    const worker = createWorkOSWebhookHandler({
      secret: SECRET,
      store: st,
      hooks: { onFailed: (_e, _err, info) => void failures.push(info) },
    });
    worker.onAny((event) => {
      const n = (calls.get(event.id) ?? 0) + 1;
      calls.set(event.id, n);
      if (n === 1) throw new Error('first attempt fails');
    });
    for (const event of list) expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    startWorker(worker, queue);
    await waitUntil('20 completed jobs', async () => (await completed(queue)) === 20);

    expect([...calls.values()]).toEqual(list.map(() => 2));
    expect(failures).toHaveLength(20);
    expect(failures.every((f) => f.source === 'queue' && f.acknowledged && !f.final && f.attempts === 1)).toBe(true);
    for (const event of list) {
      expect((await st.get(event.id))?.status).toBe('completed');
      expect((await queue.getJob(event.id))?.attemptsMade).toBe(2); // one failure, one success
    }
  });

  it('in_progress goes back to the delayed set without using an attempt, then runs once the claim is free', async () => {
    const queue = newQueue();
    const st = store();
    const webhooks = web(queue, st, { attempts: 1 }); // a spent attempt would fail the job for good
    const [event] = events(1) as [WorkOSEvent];
    const other = await st.claim(event.id, { leaseMs: 60_000 }); // another delivery holds the claim
    expect(other.status).toBe('claimed');
    const runs: string[] = [];
    const worker = createWorkOSWebhookHandler({ secret: SECRET, store: st });
    worker.onAny((e) => void runs.push(e.id));
    expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    const bullWorker = startWorker(worker, queue, { inProgressDelayMs: 100 });
    let starts = 0;
    bullWorker.on('active', () => void starts++);

    await waitUntil('the job was tried at least twice', () => starts >= 2);
    expect(runs).toEqual([]);
    expect(await queue.getJobState(event.id)).not.toBe('failed');
    if (other.status === 'claimed') await st.release(event.id, other.token);
    await waitUntil('the job completed', async () => (await queue.getJobState(event.id)) === 'completed');
    expect(runs).toEqual([event.id]);
    const job = await queue.getJob(event.id);
    expect([job?.attemptsMade, job?.returnvalue]).toEqual([1, { outcome: 'processed' }]);
  });

  it('a worker whose handler is draining puts the job back; another worker runs it', async () => {
    const queue = newQueue();
    const st = store();
    const webhooks = web(queue, st, { attempts: 1 });
    const [event] = events(1) as [WorkOSEvent];
    const drained = createWorkOSWebhookHandler({ secret: SECRET, store: st }).onAny(() => {
      throw new Error('must not run');
    });
    await drained.drain();
    expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    const first = startWorker(drained, queue);
    let starts = 0;
    first.on('active', () => void starts++);
    await waitUntil('the draining worker took the job', () => starts >= 1);
    await first.close();
    expect(await queue.getJobState(event.id)).toMatch(/delayed|waiting/);

    const runs: string[] = [];
    startWorker(
      createWorkOSWebhookHandler({ secret: SECRET, store: st }).onAny((e) => void runs.push(e.id)),
      queue,
    );
    await waitUntil('the job completed', async () => (await queue.getJobState(event.id)) === 'completed');
    expect(runs).toEqual([event.id]);
    expect((await queue.getJob(event.id))?.attemptsMade).toBe(1);
  });

  it('dead letter: the last failed attempt reports final: true, the event stays recoverable, a new delivery revives it', async () => {
    const queue = newQueue();
    const st = store();
    const webhooks = web(queue, st, { attempts: 2, backoff: { type: 'fixed', delay: 20 } });
    const [event] = events(1) as [WorkOSEvent];
    const failures: FailureInfo[] = [];
    let broken = true;
    const runs: string[] = [];
    const worker = createWorkOSWebhookHandler({
      secret: SECRET,
      store: st,
      hooks: { onFailed: (_e, _err, info) => void failures.push(info) },
    });
    worker.onAny((e) => {
      if (broken) throw new Error('downstream is down');
      runs.push(e.id);
    });
    expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    startWorker(worker, queue);
    await waitUntil('the job failed', async () => (await queue.getJobState(event.id)) === 'failed');

    expect(failures.map((f) => [f.acknowledged, f.final, f.attempts])).toEqual([
      [true, false, 1],
      [true, true, 1],
    ]);
    expect((await queue.getJob(event.id))?.failedReason).toBe('downstream is down');
    expect((await st.get(event.id))?.status).not.toBe('completed'); // claim released: reconcile would run it
    const probe = await st.claim(event.id, { leaseMs: 1_000 }); // recoverable right now (what reconcile does)
    expect(probe.status).toBe('claimed');
    if (probe.status === 'claimed') await st.release(event.id, probe.token);

    // The fix is deployed; WorkOS (Dashboard retry) or `workos-events replay` delivers the event again.
    broken = false;
    expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    await waitUntil('the revived job completed', async () => (await queue.getJobState(event.id)) === 'completed');
    expect(runs).toEqual([event.id]);
    expect((await st.get(event.id))?.status).toBe('completed');
  });

  it('Redis unreachable: handle() answers 503 enqueue_failed, never a 2xx', async () => {
    const port = await closedPort();
    for (const offline of [true, false]) {
      const queue = new Queue(`workos-test-${runId}-down`, {
        connection: { host: '127.0.0.1', port, enableOfflineQueue: offline, retryStrategy: () => 100 },
      });
      queue.on('error', () => {});
      const webhooks = createWorkOSWebhookHandler({
        secret: SECRET,
        queue: bullmqQueue(queue),
        enqueueTimeoutMs: 300,
      });
      const answers = await Promise.all(events(3).map((e) => webhooks.handle(signedRequest(e))));
      expect(answers.map((r) => [r.status, bodyOf(r).code])).toEqual(answers.map(() => [503, 'enqueue_failed']));
      await queue.close().catch(() => {});
    }
  });

  it('job data that is not a WorkOS event fails for good without touching the store or a listener', async () => {
    const queue = newQueue();
    const st = store();
    const runs: string[] = [];
    startWorker(
      createWorkOSWebhookHandler({ secret: SECRET, store: st }).onAny((e) => void runs.push(e.id)),
      queue,
    );
    await queue.add(
      'user.created',
      { id: 'event_forged', event: 'user.created' },
      { jobId: 'event_forged', attempts: 5 },
    );
    await waitUntil('the job failed', async () => (await queue.getJobState('event_forged')) === 'failed');
    const job = await queue.getJob('event_forged');
    expect(job?.failedReason).toMatch(/not a WorkOS event \(data: .*created_at: /);
    expect(job?.attemptsMade).toBe(1);
    expect(runs).toEqual([]);
    expect(await st.get('event_forged')).toBeUndefined();
  });

  it('a worker SIGKILLed mid-run: a new worker handles every event, repeating at most the jobs in flight', async () => {
    const queue = newQueue();
    const prefix = `${storePrefix}crash:`;
    const st = new RedisIdempotencyStore({ client: redis as IORedis, prefix });
    const webhooks = web(queue, st);
    const list = events(80);
    for (const event of list) expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    const dir = await mkdtemp(path.join(tmpdir(), 'workos-bullmq-crash-'));
    const out = path.join(dir, 'runs.txt');
    const concurrency = 4;
    const env = {
      REDIS_URL,
      QUEUE: queue.name,
      STORE_PREFIX: prefix,
      OUT_FILE: out,
      LEASE_MS: '1500',
      LOCK_MS: '1000',
      CONCURRENCY: String(concurrency),
      WORK_MS: '40',
    };
    const first = await startWorkerProcess('bullmq-worker.ts', env);
    try {
      await waitUntil('the first worker ran 20 events', async () => (await lines(out)).length >= 20);
      await kill(first);
      const before = await lines(out);
      expect(before.length).toBeLessThan(80);

      const second = await startWorkerProcess('bullmq-worker.ts', env);
      try {
        await waitUntil('every event ran', async () => new Set(await lines(out)).size === 80, 40_000);
        await waitUntil('80 completed jobs', async () => (await completed(queue)) === 80);
      } finally {
        await kill(second);
      }
      const all = await lines(out);
      expect(new Set(all)).toEqual(new Set(list.map((e) => e.id)));
      expect(all.length - 80).toBeLessThanOrEqual(concurrency); // only runs cut short after their listener finished
      expect((await queue.getJobCounts('failed')).failed).toBe(0);
    } finally {
      await kill(first);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses what cannot work, with a typed error', () => {
    const queue = newQueue();
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return [(error as WorkOSQueueError).name, (error as WorkOSQueueError).code];
      }
      return 'no error';
    };
    expect(bad(() => bullmqQueue(queue, { jobId: 'x' } as BullMQEventJobOptions))).toEqual([
      'WorkOSQueueError',
      'invalid_option',
    ]);
    expect(bad(() => bullmqQueue({} as Queue))).toEqual(['WorkOSQueueError', 'invalid_option']);
    const handler = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    expect(bad(() => createBullMQWorker(handler, { queueName: '', connection }))).toEqual([
      'WorkOSQueueError',
      'invalid_option',
    ]);
    expect(bad(() => createBullMQWorker(handler, { queueName: 'q' } as BullMQWorkerOptions))).toEqual([
      'WorkOSQueueError',
      'invalid_option',
    ]);
    expect(bad(() => createBullMQWorker(handler, { queueName: 'q', connection, inProgressDelayMs: -1 }))).toEqual([
      'WorkOSQueueError',
      'invalid_option',
    ]);
    expect(() => createBullMQWorker({} as WorkOSWebhookHandler, { queueName: 'q', connection })).toThrow(TypeError);
    expect(new WorkOSQueueError('invalid_option', 'x')).toBeInstanceOf(Error);
  });
});
