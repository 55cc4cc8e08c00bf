// Connection helpers for the tests that need the real Redis / PostgreSQL. Locally a missing service skips those
// tests with a visible message; under CI=true it fails them, since CI guarantees the services.
import IORedis from 'ioredis';
import IORedis6 from 'ioredis6';
import pg from 'pg';
import { createClient } from 'redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CI = process.env.CI === 'true';

/** A short id unique to this test run, for key prefixes and table names. */
export const runId = `${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;

/** Under CI=true throws (CI guarantees the service); locally warns once and returns the reason to skip with. */
export function unavailable(service: string, err: unknown): string {
  const reason = `${service} is not reachable (${(err as Error)?.message ?? String(err)})`;
  if (CI) throw new Error(`${reason}; CI=true requires it.`);
  console.warn(`[workos-events tests] skipping ${service} tests: ${reason}`);
  return reason;
}

function makeNodeRedis() {
  return createClient({ url: REDIS_URL, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
}
export type NodeRedis = ReturnType<typeof makeNodeRedis>;

/** A connected node-redis client, or the reason it could not connect. */
export async function connectNodeRedis(): Promise<NodeRedis | string> {
  const client = makeNodeRedis();
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    return unavailable('Redis', err);
  }
}

/** A connected ioredis 5 client, or the reason it could not connect. */
export function connectIoRedis(): Promise<IORedis | string> {
  return connectIoRedisWith(IORedis);
}

/** A connected ioredis 6 client (the `ioredis6` alias: its wire protocol defaults to RESP3), or the reason. */
export function connectIoRedis6(): Promise<IORedis6 | string> {
  return connectIoRedisWith(IORedis6);
}

type IoRedisOptions = { lazyConnect: boolean; connectTimeout: number; maxRetriesPerRequest: number };
interface IoRedisLike {
  on(event: 'error', listener: () => void): unknown;
  connect(): Promise<unknown>;
  disconnect(): void;
}

async function connectIoRedisWith<C extends IoRedisLike>(
  Client: new (url: string, options: IoRedisOptions) => C,
): Promise<C | string> {
  const client = new Client(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.disconnect();
    return unavailable('Redis', err);
  }
}

/** A pg Pool that has answered one query, or the reason it could not. */
export async function connectPgPool(max = 10): Promise<pg.Pool | string> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch (err) {
    await pool.end().catch(() => {});
    return unavailable('PostgreSQL', err);
  }
}

/** A connected pg Client, or the reason it could not connect. */
export async function connectPgClient(): Promise<pg.Client | string> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (err) {
    return unavailable('PostgreSQL', err);
  }
}

/** Deletes every key under `prefix` (SCAN, never KEYS). Test cleanup only. */
export async function deleteRedisPrefix(client: IORedis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await client.del(...keys);
  } while (cursor !== '0');
}
