/**
 * Queue mode on pg-boss 12, against the machine's PostgreSQL (DATABASE_URL), in a pg-boss schema of this run's own:
 * one job per event through handle(), retries by the engine, in_progress and shutting_down put off without spending
 * a retry, the dead letter, an unreachable database, foreign job data, a queue with the wrong policy, and a worker
 * process SIGKILLed mid-run. pg-boss 12 needs Node >= 22.12: these run on the Node 22/24 legs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkOSEvent } from '../../src/events/index.js';
import { createWorkOSWebhookHandler, type FailureInfo, type WorkOSWebhookHandler } from '../../src/handler/index.js';
import { PostgresIdempotencyStore } from '../../src/idempotency/stores/postgres.js';
import {
  type PgBossQueueOptions,
  pgBossQueue,
  WorkOSQueueError,
  type WorkPgBossOptions,
  workPgBoss,
} from '../../src/queues/pg-boss.js';
import { bodyOf, SECRET, signedRequest } from '../handler/helpers.js';
import { connectPgPool, DATABASE_URL, runId } from '../idempotency/services.js';
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

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const supported = major > 22 || (major === 22 && minor >= 12);
if (!supported) {
  console.warn(
    `[test/queues/pg-boss] SKIPPED on Node ${process.version}: pg-boss 12 needs Node >= 22.12 (runs on the Node 22/24 legs).`,
  );
}

const pool = supported ? await connectPgPool() : 'unsupported Node';
const skip = typeof pool === 'string';
const schema = `workos_pgboss_${runId}`;
const tables: string[] = [];
let PgBossClass: typeof PgBoss;
let boss: PgBoss;
let counter = 0;
const workIds: Array<[string, string]> = [];

beforeAll(async () => {
  if (skip) return;
  ({ PgBoss: PgBossClass } = await import('pg-boss'));
  boss = new PgBossClass({ connectionString: DATABASE_URL, schema, superviseIntervalSeconds: 1 });
  boss.on('error', () => {});
  await boss.start();
});

afterEach(async () => {
  for (const [name, id] of workIds.splice(0)) await boss.offWork(name, { id });
});

afterAll(async () => {
  if (skip) return;
  await boss.stop({ graceful: false, close: true }).catch(() => {});
  const db = pool as pg.Pool;
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  for (const table of tables) await db.query(`DROP TABLE IF EXISTS "${table}"`);
  await db.end();
});

interface Setup {
  name: string;
  store: PostgresIdempotencyStore;
  web: WorkOSWebhookHandler;
}

/** A fresh queue name and store table, and the web process's handler in queue mode. */
async function setup(send: Partial<PgBossQueueOptions> = {}): Promise<Setup> {
  counter++;
  const name = `workos-test-${counter}`;
  const table = `workos_events_test_${runId}_${counter}`;
  tables.push(table);
  const store = new PostgresIdempotencyStore({ client: pool as pg.Pool, table });
  await store.migrate();
  const queue = pgBossQueue(boss, { name, ...send });
  await queue.ready();
  const web = createWorkOSWebhookHandler({ secret: SECRET, store, queue });
  return { name, store, web };
}

async function work(handler: WorkOSWebhookHandler, name: string, extra: Partial<WorkPgBossOptions> = {}) {
  const id = await workPgBoss(handler, boss, { name, pollingIntervalSeconds: 0.5, batchSize: 10, ...extra });
  workIds.push([name, id]);
  return id;
}

interface JobRow {
  id: string;
  state: string;
  singleton_key: string | null;
  output: { outcome?: string; deferredTo?: string } | null;
  event_id: string;
  retry_limit: number;
  retry_backoff: boolean;
}

async function jobs(name: string): Promise<JobRow[]> {
  const { rows } = await (pool as pg.Pool).query<JobRow>(
    `SELECT id, state, singleton_key, output, data->>'id' AS event_id, retry_limit, retry_backoff FROM "${schema}".job WHERE name = $1 ORDER BY created_on`,
    [name],
  );
  return rows;
}

const count = async (name: string, state?: string) =>
  (await jobs(name)).filter((j) => state === undefined || j.state === state).length;

describe.skipIf(skip)('pg-boss queue mode (real PostgreSQL)', () => {
  it('300 events with 20 % duplicate deliveries through handle() make exactly 300 jobs, each processed once', async () => {
    const { name, store, web } = await setup();
    const list = events(300);
    const answers = await inParallel(withDuplicates(list), 12, (event) => web.handle(signedRequest(event)));
    expect(answers.every((r) => r.status === 200 && bodyOf(r).status === 'accepted')).toBe(true);
    const queued = await jobs(name);
    expect(queued).toHaveLength(300);
    expect(new Set(queued.map((j) => j.singleton_key))).toEqual(new Set(list.map((e) => e.id)));
    expect(queued[0]).toMatchObject({ retry_limit: 11, retry_backoff: true }); // PG_BOSS_DEFAULT_SEND_OPTIONS

    const runs: string[] = [];
    await work(
      createWorkOSWebhookHandler({ secret: SECRET, store }).onAny((e) => void runs.push(e.id)),
      name,
      {
        localConcurrency: 2,
        batchSize: 25,
      },
    );
    await waitUntil('300 completed jobs', async () => (await count(name, 'completed')) === 300, 40_000, 100);
    expect(runs.sort()).toEqual(list.map((e) => e.id).sort());
    expect((await jobs(name))[0]!.output).toEqual({ outcome: 'processed' });

    // After completion the exclusive policy lets a re-delivery add a job; it ends `duplicate`, nothing runs again.
    for (const event of list.slice(0, 5)) expect((await web.handle(signedRequest(event))).status).toBe(200);
    await waitUntil('305 completed jobs', async () => (await count(name, 'completed')) === 305, 20_000, 100);
    expect(runs).toHaveLength(300);
    expect((await jobs(name)).slice(300).map((j) => j.output?.outcome)).toEqual(Array(5).fill('duplicate'));
  }, 60_000);

  it('listeners failing their first attempt are retried by pg-boss; each event completes once', async () => {
    const { name, store, web } = await setup({ retryLimit: 2, retryDelay: 0, retryBackoff: false });
    const list = events(20);
    const calls = new Map<string, number>();
    const failures: FailureInfo[] = [];
    const handler = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      hooks: { onFailed: (_e, _err, info) => void failures.push(info) },
    }).onAny((event) => {
      const n = (calls.get(event.id) ?? 0) + 1;
      calls.set(event.id, n);
      if (n === 1) throw new Error('first attempt fails');
    });
    for (const event of list) expect((await web.handle(signedRequest(event))).status).toBe(200);
    await work(handler, name);
    await waitUntil('20 completed jobs', async () => (await count(name, 'completed')) === 20, 30_000, 100);

    expect([...calls.values()]).toEqual(list.map(() => 2));
    expect(failures).toHaveLength(20);
    expect(failures.every((f) => f.source === 'queue' && f.acknowledged && !f.final)).toBe(true);
    for (const event of list) expect((await store.get(event.id))?.status).toBe('completed');
    expect(await jobs(name)).toHaveLength(20);
  });

  it('in_progress is put off without spending a retry, then runs once the claim is free', async () => {
    const { name, store, web } = await setup({ retryLimit: 0 }); // a spent retry would dead-letter it
    const [event] = events(1) as [WorkOSEvent];
    const other = await store.claim(event.id, { leaseMs: 60_000 });
    expect(other.status).toBe('claimed');
    const runs: string[] = [];
    expect((await web.handle(signedRequest(event))).status).toBe(200);
    await work(
      createWorkOSWebhookHandler({ secret: SECRET, store }).onAny((e) => void runs.push(e.id)),
      name,
      {
        inProgressDelaySeconds: 0.5,
      },
    );

    await waitUntil('the job was put off twice', async () => (await count(name, 'completed')) >= 2, 20_000, 100);
    expect(runs).toEqual([]);
    if (other.status === 'claimed') await store.release(event.id, other.token);
    await waitUntil('the event ran', () => runs.length === 1, 20_000, 100);
    await waitUntil('no job left to run', async () => (await count(name)) === (await count(name, 'completed')));
    const rows = await jobs(name);
    expect(rows[0]).toMatchObject({ singleton_key: event.id, output: { outcome: 'in_progress' } });
    expect(rows[0]!.output?.deferredTo).toBe(rows[1]!.id);
    expect(rows.at(-1)!.output).toEqual({ outcome: 'processed' });
    expect(await count(`${name}.dead-letter`)).toBe(0);
    expect(runs).toEqual([event.id]);
  });

  it('a worker whose handler is draining puts the job off at once; another worker runs it', async () => {
    const { name, store, web } = await setup({ retryLimit: 0 });
    const [event] = events(1) as [WorkOSEvent];
    const drained = createWorkOSWebhookHandler({ secret: SECRET, store }).onAny(() => {
      throw new Error('must not run');
    });
    await drained.drain();
    expect((await web.handle(signedRequest(event))).status).toBe(200);
    const first = await work(drained, name);
    await waitUntil('the draining worker put the job off', async () => (await count(name, 'completed')) >= 1);
    await boss.offWork(name, { id: first });
    workIds.splice(0);

    const runs: string[] = [];
    await work(
      createWorkOSWebhookHandler({ secret: SECRET, store }).onAny((e) => void runs.push(e.id)),
      name,
    );
    await waitUntil('the event ran', () => runs.length === 1, 20_000, 100);
    expect(runs).toEqual([event.id]);
    expect(await count(`${name}.dead-letter`)).toBe(0);
  });

  it('dead letter: the last failed attempt reports final: true, the event stays recoverable, redrive runs it', async () => {
    const { name, store, web } = await setup({ retryLimit: 1, retryDelay: 0, retryBackoff: false });
    const [event] = events(1) as [WorkOSEvent];
    const failures: FailureInfo[] = [];
    let broken = true;
    const runs: string[] = [];
    const handler = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      hooks: { onFailed: (_e, _err, info) => void failures.push(info) },
    }).onAny((e) => {
      if (broken) throw new Error('downstream is down');
      runs.push(e.id);
    });
    expect((await web.handle(signedRequest(event))).status).toBe(200);
    await work(handler, name);
    const deadLetter = `${name}.dead-letter`;
    await waitUntil('the job was dead-lettered', async () => (await count(deadLetter)) === 1, 20_000, 100);

    expect(failures.map((f) => [f.acknowledged, f.final])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect((await jobs(name))[0]).toMatchObject({ state: 'failed', output: { outcome: 'failed' } });
    expect((await jobs(deadLetter))[0]!.event_id).toBe(event.id);
    expect((await store.get(event.id))?.status).not.toBe('completed');
    const probe = await store.claim(event.id, { leaseMs: 1_000 }); // recoverable right now (what reconcile does)
    expect(probe.status).toBe('claimed');
    if (probe.status === 'claimed') await store.release(event.id, probe.token);

    broken = false;
    expect(await boss.redrive(deadLetter)).toBe(1);
    await waitUntil('the redriven job ran', () => runs.length === 1, 20_000, 100);
    expect(runs).toEqual([event.id]);
    await waitUntil('completed in the store', async () => (await store.get(event.id))?.status === 'completed');
  });

  it('PostgreSQL unreachable: handle() answers 503 enqueue_failed, never a 2xx', async () => {
    const port = await closedPort();
    const down = new PgBossClass({
      connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
      schema,
      connectionTimeoutMillis: 200,
    });
    down.on('error', () => {});
    await expect(down.start()).rejects.toThrow();
    const started = new PgBossClass({ connectionString: DATABASE_URL, schema });
    started.on('error', () => {});
    await started.start();
    await started.stop({ graceful: false, close: true }); // its pool is gone now
    for (const instance of [down, started]) {
      const webhooks = createWorkOSWebhookHandler({
        secret: SECRET,
        queue: pgBossQueue(instance, { name: 'workos-test-down' }),
        enqueueTimeoutMs: 1_000,
      });
      const answers = await Promise.all(events(3).map((e) => webhooks.handle(signedRequest(e))));
      expect(answers.map((r) => [r.status, bodyOf(r).code])).toEqual(answers.map(() => [503, 'enqueue_failed']));
    }
  });

  it('job data that is not a WorkOS event goes straight to the dead letter, without touching the store', async () => {
    const { name, store } = await setup({ retryLimit: 5 });
    const runs: string[] = [];
    await work(
      createWorkOSWebhookHandler({ secret: SECRET, store }).onAny((e) => void runs.push(e.id)),
      name,
    );
    await boss.send(name, { id: 'event_forged', event: 'user.created' }, { singletonKey: 'event_forged' });
    await waitUntil('dead-lettered', async () => (await count(`${name}.dead-letter`)) === 1, 20_000, 100);
    const [job] = await jobs(name);
    expect(job!.state).toBe('failed');
    expect(JSON.stringify(job!.output)).toMatch(/invalid_job_data|not a WorkOS event/);
    expect(runs).toEqual([]);
    expect(await store.get('event_forged')).toBeUndefined();
  });

  it('refuses a queue that exists with another policy (one job per event needs exclusive)', async () => {
    const name = `workos-test-standard-${++counter}`;
    await boss.createQueue(name);
    const queue = pgBossQueue(boss, { name, deadLetter: false });
    await expect(queue.ready()).rejects.toMatchObject({ name: 'WorkOSQueueError', code: 'queue_policy_mismatch' });
    const handler = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    await expect(workPgBoss(handler, boss, { name })).rejects.toMatchObject({ code: 'queue_policy_mismatch' });
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, queue });
    expect((await webhooks.handle(signedRequest(events(1)[0]!))).status).toBe(503);
  });

  it('a worker SIGKILLed mid-run: a new worker handles every event, repeating at most the jobs in flight', async () => {
    const { name, web } = await setup({ expireInSeconds: 2, retryDelay: 1, retryBackoff: false });
    const table = tables.at(-1)!;
    const list = events(60);
    for (const event of list) expect((await web.handle(signedRequest(event))).status).toBe(200);
    const dir = await mkdtemp(path.join(tmpdir(), 'workos-pgboss-crash-'));
    const out = path.join(dir, 'runs.txt');
    const concurrency = 4;
    const env = {
      DATABASE_URL,
      SCHEMA: schema,
      QUEUE: name,
      STORE_TABLE: table,
      OUT_FILE: out,
      LEASE_MS: '1500',
      CONCURRENCY: String(concurrency),
      WORK_MS: '40',
    };
    const first = await startWorkerProcess('pg-boss-worker.ts', env);
    try {
      await waitUntil('the first worker ran 15 events', async () => (await lines(out)).length >= 15, 20_000);
      await kill(first);
      expect((await lines(out)).length).toBeLessThan(60);

      const second = await startWorkerProcess('pg-boss-worker.ts', env);
      try {
        await waitUntil('every event ran', async () => new Set(await lines(out)).size === 60, 40_000, 100);
      } finally {
        await sleep(200);
        await kill(second);
      }
      const all = await lines(out);
      expect(new Set(all)).toEqual(new Set(list.map((e) => e.id)));
      expect(all.length - 60).toBeLessThanOrEqual(concurrency);
      expect(await count(`${name}.dead-letter`)).toBe(0);
    } finally {
      await kill(first);
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses what cannot work, with a typed error', async () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as WorkOSQueueError).code;
      }
      return 'no error';
    };
    expect(code(() => pgBossQueue(boss, { name: '' }))).toBe('invalid_option');
    expect(code(() => pgBossQueue(boss, { name: 'q', singletonKey: 'x' } as PgBossQueueOptions))).toBe(
      'invalid_option',
    );
    expect(code(() => pgBossQueue({} as PgBoss, { name: 'q' }))).toBe('invalid_option');
    const handler = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    await expect(
      workPgBoss(handler, boss, { name: 'q', ignoreStartAfter: true } as WorkPgBossOptions),
    ).rejects.toMatchObject({ code: 'invalid_option' });
    await expect(workPgBoss(handler, boss, { name: 'q', inProgressDelaySeconds: -1 })).rejects.toBeInstanceOf(
      WorkOSQueueError,
    );
    await expect(workPgBoss({} as WorkOSWebhookHandler, boss, { name: 'q' })).rejects.toThrow(TypeError);
  });
});
