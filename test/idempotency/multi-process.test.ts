// Beyond the compliance suite: real processes racing on a real Redis / PostgreSQL.
// - race: 4 processes × 1 000 events × 3 concurrent deliveries → every handler runs exactly once;
// - crash: a worker SIGKILLed while holding leases on 10 % of the events → after the leases end another worker
//   claims and completes them, none is lost, and the dead worker's late complete (its old token) is refused.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresIdempotencyStore } from '../../src/idempotency/stores/postgres.js';
import { RedisIdempotencyStore } from '../../src/idempotency/stores/redis.js';
import type { IdempotencyStore } from '../../src/idempotency/types.js';
import type { WorkerConfig } from './fixtures/worker.js';
import { connectIoRedis, connectPgPool, DATABASE_URL, deleteRedisPrefix, REDIS_URL, runId } from './services.js';

const workerFile = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const EVENTS = Number(process.env.MP_EVENTS ?? 1_000);
const ids = Array.from({ length: EVENTS }, (_, i) => `event_${String(i).padStart(5, '0')}`);

type Message = { ready?: true; done?: true; holding?: true; held?: string; token?: string; counts?: Counts };
type Counts = { claimed: number; in_progress: number; duplicate: number; completeRefused: number; held: number };

interface Worker {
  child: ChildProcess;
  messages: Message[];
  /** Resolves with the first message matching `pick`. */
  until(pick: (m: Message) => boolean): Promise<Message>;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

function startWorker(config: WorkerConfig): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerFile, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  const messages: Message[] = [];
  const waiters: Array<{ pick: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as Message;
    messages.push(message);
    for (const w of waiters.filter((w) => w.pick(message))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  exited.then(() => children.delete(child));
  return {
    child,
    messages,
    exited,
    until: (pick) =>
      new Promise((resolve, reject) => {
        const found = messages.find(pick);
        if (found) return resolve(found);
        waiters.push({ pick, resolve });
        exited.then((code) => reject(new Error(`worker exited (${code}) before the expected message`)));
      }),
  };
}

async function runAll(workers: Worker[]): Promise<Counts[]> {
  await Promise.all(workers.map((w) => w.until((m) => m.ready === true)));
  for (const w of workers) w.child.stdin!.write('go\n');
  const done = await Promise.all(workers.map((w) => w.until((m) => m.done === true)));
  await Promise.all(workers.map((w) => w.exited));
  return done.map((m) => m.counts!);
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

interface Backend {
  name: string;
  skip: string | false;
  config(kind: string): Pick<WorkerConfig, 'backend' | 'url' | 'where' | 'log'>;
  prepare(kind: string): Promise<void>;
  executions(kind: string): Promise<Map<string, number>>;
  store(kind: string): IdempotencyStore;
}

const ioredis = await connectIoRedis();
const pool = await connectPgPool(4);
const redisPrefix = `workos-events-mp:${runId}:`;

afterAll(async () => {
  if (typeof ioredis !== 'string') {
    await deleteRedisPrefix(ioredis, redisPrefix);
    await ioredis.quit();
  }
  if (typeof pool !== 'string') {
    for (const kind of ['race', 'crash']) {
      await pool.query(`DROP TABLE IF EXISTS "mp_${kind}_${runId}", "mp_${kind}_${runId}_exec"`);
    }
    await pool.end();
  }
});

const REDIS_CLIENTS = { 'redis-node': 'node-redis', 'redis-io': 'ioredis 5', 'redis-io6': 'ioredis 6' } as const;

function redisBackend(backend: keyof typeof REDIS_CLIENTS): Backend {
  return {
    name: `Redis (${REDIS_CLIENTS[backend]})`,
    skip: typeof ioredis === 'string' ? ioredis : false,
    config: (kind) => ({
      backend,
      url: REDIS_URL,
      where: `${redisPrefix}${backend}:${kind}:`,
      log: `${redisPrefix}${backend}:${kind}:exec`,
    }),
    prepare: async () => {},
    executions: async (kind) => {
      if (typeof ioredis === 'string') throw new Error(ioredis);
      const hash = await ioredis.hgetall(`${redisPrefix}${backend}:${kind}:exec`);
      return new Map(Object.entries(hash).map(([k, v]) => [k, Number(v)]));
    },
    store: (kind) => {
      if (typeof ioredis === 'string') throw new Error(ioredis);
      return new RedisIdempotencyStore({ client: ioredis, prefix: `${redisPrefix}${backend}:${kind}:` });
    },
  };
}

const postgres: Backend = {
  name: 'PostgreSQL (pg Pool)',
  skip: typeof pool === 'string' ? pool : false,
  config: (kind) => ({
    backend: 'postgres',
    url: DATABASE_URL,
    where: `mp_${kind}_${runId}`,
    log: `mp_${kind}_${runId}_exec`,
  }),
  prepare: async (kind) => {
    if (typeof pool === 'string') throw new Error(pool);
    await new PostgresIdempotencyStore({ client: pool, table: `mp_${kind}_${runId}` }).migrate();
    // Deliberately no unique constraint: a second execution must show up as a second row.
    await pool.query(`CREATE TABLE "mp_${kind}_${runId}_exec" (event_id text NOT NULL, worker text NOT NULL)`);
  },
  executions: async (kind) => {
    if (typeof pool === 'string') throw new Error(pool);
    const { rows } = await pool.query<{ event_id: string; n: number }>(
      `SELECT event_id, count(*)::int AS n FROM "mp_${kind}_${runId}_exec" GROUP BY event_id`,
    );
    return new Map(rows.map((r) => [r.event_id, r.n]));
  },
  store: (kind) => {
    if (typeof pool === 'string') throw new Error(pool);
    return new PostgresIdempotencyStore({ client: pool, table: `mp_${kind}_${runId}` });
  },
};

function expectExactlyOnce(executions: Map<string, number>): void {
  const wrong = ids.filter((id) => executions.get(id) !== 1);
  expect(wrong.map((id) => `${id}: ${executions.get(id) ?? 0}`)).toEqual([]);
  expect(executions.size).toBe(EVENTS);
}

for (const backend of [redisBackend('redis-node'), redisBackend('redis-io'), redisBackend('redis-io6'), postgres]) {
  const title = `multi-process on ${backend.name}`;
  if (backend.skip) {
    describe.skip(`${title} (skipped: ${backend.skip})`, () => {
      it('runs', () => {});
    });
    continue;
  }
  describe(title, () => {
    it('4 processes × 1 000 events × 3 concurrent deliveries: every handler runs exactly once', async () => {
      await backend.prepare('race');
      const workers = Array.from({ length: 4 }, (_, i) =>
        startWorker({ ...backend.config('race'), worker: `w${i}`, events: EVENTS, deliveries: 3, leaseMs: 60_000 }),
      );
      const counts = await runAll(workers);
      const why = JSON.stringify(counts);
      expect(workers.map((w) => w.child.exitCode)).toEqual([0, 0, 0, 0]);
      // 12 000 claims in all, exactly 1 000 won; the rest were refused as in progress or duplicate.
      const total = counts.reduce((a, c) => a + c.claimed + c.in_progress + c.duplicate, 0);
      expect(total, why).toBe(EVENTS * 12);
      expect(
        counts.reduce((a, c) => a + c.claimed, 0),
        why,
      ).toBe(EVENTS);
      expect(
        counts.reduce((a, c) => a + c.completeRefused, 0),
        why,
      ).toBe(0);
      // Real contention happened across processes, not just inside one: the winner's own two sibling deliveries
      // account for 2 × EVENTS `in_progress` answers; anything beyond came from another process claiming while the
      // lease was live. (Which process wins is up to scheduling: one may win them all.)
      const inProgress = counts.reduce((a, c) => a + c.in_progress, 0);
      expect(inProgress - 2 * EVENTS, why).toBeGreaterThan(0);
      expectExactlyOnce(await backend.executions('race'));
      const store = backend.store('race');
      const states = await Promise.all(ids.map((id) => store.claim(id, { leaseMs: 1_000 })));
      expect(states.every((s) => s.status === 'duplicate')).toBe(true);
    }, 120_000);

    it('SIGKILL while holding 10 % of the leases: another worker finishes them after expiry; late complete refused', async () => {
      await backend.prepare('crash');
      const leaseMs = 3_000;
      const victim = startWorker({
        ...backend.config('crash'),
        worker: 'victim',
        events: EVENTS,
        deliveries: 1,
        leaseMs,
        hangEvery: 10,
      });
      await victim.until((m) => m.ready === true);
      victim.child.stdin!.write('go\n');
      await victim.until((m) => m.holding === true);
      victim.child.kill('SIGKILL');
      await victim.exited;
      const held = victim.messages.filter((m) => m.held).map((m) => ({ id: m.held!, token: m.token! }));
      expect(held).toHaveLength(EVENTS / 10);

      const store = backend.store('crash');
      // The dead worker's leases still block the events for now…
      const blocked = await Promise.all(held.map((h) => store.claim(h.id, { leaseMs: 60_000 })));
      expect(blocked.every((s) => s.status === 'in_progress')).toBe(true);

      // …a survivor retries them (as WorkOS retries a 409) and takes them over once the leases end.
      const survivor = startWorker({
        ...backend.config('crash'),
        worker: 'survivor',
        events: EVENTS,
        deliveries: 1,
        leaseMs: 60_000,
        retryInProgressMs: 250,
      });
      const [counts] = await runAll([survivor]);
      expect(counts!.claimed).toBe(EVENTS / 10);
      expect(counts!.duplicate).toBe(EVENTS - EVENTS / 10);

      // None lost, none twice.
      expectExactlyOnce(await backend.executions('crash'));
      // The dead worker's late complete and release, with its old tokens, change nothing.
      for (const h of held.slice(0, 20)) {
        expect(await store.complete(h.id, h.token)).toBe(false);
        expect(await store.release(h.id, h.token)).toBe(false);
      }
      const states = await Promise.all(ids.map((id) => store.claim(id, { leaseMs: 1_000 })));
      expect(states.every((s) => s.status === 'duplicate')).toBe(true);
    }, 120_000);
  });
}
