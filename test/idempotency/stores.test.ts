// Store-specific behaviour beyond the shared contract: construction, identifiers, key layout, migration, metadata.
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteTableName } from '../../src/idempotency/stores/identifier.js';
import { PostgresIdempotencyStore, postgresIdempotencySchema } from '../../src/idempotency/stores/postgres.js';
import { RedisIdempotencyStore } from '../../src/idempotency/stores/redis.js';
import { type SqliteDatabaseLike, SqliteIdempotencyStore } from '../../src/idempotency/stores/sqlite.js';
import { connectIoRedis, connectPgPool, deleteRedisPrefix, runId } from './services.js';

describe('table names', () => {
  it.each(['events', 'workos_events_idempotency', '_t1', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(quoteTableName(name, false)).toBe(`"${name}"`);
  });
  it.each([
    '',
    '1events',
    'events; DROP TABLE users; --',
    'ev"ents',
    'a'.repeat(64),
    'a.b.c',
    'my-table',
    'événements',
  ])('rejects %j', (name) => {
    expect(() => quoteTableName(name, true)).toThrow(TypeError);
  });
  it('accepts schema.table only where schemas exist (Postgres)', () => {
    expect(quoteTableName('billing.events', true)).toBe('"billing"."events"');
    expect(() => quoteTableName('billing.events', false)).toThrow(TypeError);
    expect(
      () => new PostgresIdempotencyStore({ client: { query: async () => ({ rows: [], rowCount: 0 }) }, table: 'x;y' }),
    ).toThrow(TypeError);
  });
});

const require = createRequire(import.meta.url);
let Database: (new (file: string) => SqliteDatabaseLike & { close(): void }) | undefined;
try {
  const Loaded = require('better-sqlite3') as NonNullable<typeof Database>;
  new Loaded(':memory:').close(); // the native binding loads here, not at require()
  Database = Loaded;
} catch {
  console.warn(
    `[workos-events tests] better-sqlite3 does not load on Node ${process.version}: SQLite unit tests skipped`,
  );
}

describe.runIf(Database)('SqliteIdempotencyStore (better-sqlite3, in memory)', () => {
  it('rejects a missing database and a bad table name', () => {
    expect(() => new SqliteIdempotencyStore({} as never)).toThrow(TypeError);
    const database = new Database!(':memory:');
    expect(() => new SqliteIdempotencyStore({ database, table: 'x"; --' })).toThrow(TypeError);
  });

  it('records metadata, follows an injected clock, and purges what has expired', async () => {
    let t = 1_000;
    const database = new Database!(':memory:');
    const store = new SqliteIdempotencyStore({ database, table: 'dedup', now: () => t });
    const c = await store.claim('e1', { leaseMs: 100, eventType: 'dsync.user.created', source: 'api' });
    if (c.status !== 'claimed') throw new Error('not claimed');
    expect(await store.get('e1')).toEqual({
      key: 'e1',
      status: 'in_progress',
      expiresAt: 1_100,
      updatedAt: 1_000,
      eventType: 'dsync.user.created',
      source: 'api',
    });
    t = 1_050;
    expect(await store.complete('e1', c.token, { retainMs: 1_000 })).toBe(true);
    expect(await store.get('e1')).toMatchObject({ status: 'completed', expiresAt: 2_050, updatedAt: 1_050 });
    await store.claim('e2', { leaseMs: 10 });
    t = 5_000;
    expect(await store.get('e2')).toMatchObject({ status: 'expired' });
    expect(await store.purgeExpired()).toBe(2);
    expect(database.prepare('SELECT count(*) AS n FROM dedup').get()).toEqual({ n: 0 });
  });

  it('keeps the row out of reach of another namespace in the same table', async () => {
    const database = new Database!(':memory:');
    const a = new SqliteIdempotencyStore({ database, namespace: 'a' });
    const b = new SqliteIdempotencyStore({ database, namespace: 'b' });
    const c = await a.claim('e', { leaseMs: 1_000 });
    if (c.status !== 'claimed') throw new Error('not claimed');
    await a.complete('e', c.token);
    expect(await b.get('e')).toBeUndefined();
    expect(await b.purgeExpired()).toBe(0);
    expect(await a.claim('e', { leaseMs: 1 })).toEqual({ status: 'duplicate' });
  });
});

const ioredis = await connectIoRedis();
const prefix = `workos-events-unit:${runId}:`;
const pool = await connectPgPool(4);
const tables: string[] = [];

afterAll(async () => {
  if (typeof ioredis !== 'string') {
    await deleteRedisPrefix(ioredis, prefix);
    await ioredis.quit();
  }
  if (typeof pool !== 'string') {
    for (const t of tables) await pool.query(`DROP TABLE IF EXISTS ${t}`);
    await pool.query(`DROP SCHEMA IF EXISTS "s_${runId}" CASCADE`);
    await pool.end();
  }
});

describe.skipIf(typeof ioredis === 'string')('RedisIdempotencyStore specifics', () => {
  const client = ioredis as Exclude<typeof ioredis, string>;

  it('rejects something that is not a Redis client', () => {
    expect(() => new RedisIdempotencyStore({ client: {} as never })).toThrow(TypeError);
  });

  it('lays keys out as <prefix><namespace>:<key>, escaping the namespace so tenants cannot collide', async () => {
    const one = new RedisIdempotencyStore({ client, prefix, namespace: 'a' });
    const two = new RedisIdempotencyStore({ client, prefix, namespace: 'a:b' });
    const plain = new RedisIdempotencyStore({ client, prefix });
    expect(one.redisKey('b:c')).toBe(`${prefix}a:b:c`);
    expect(two.redisKey('c')).toBe(`${prefix}a%3Ab:c`);
    expect(plain.redisKey('event_1')).toBe(`${prefix}:event_1`);
    const c = await one.claim('b:c', { leaseMs: 5_000 });
    expect(c.status).toBe('claimed');
    expect((await two.claim('c', { leaseMs: 5_000 })).status).toBe('claimed');
    expect(await client.pttl(one.redisKey('b:c'))).toBeGreaterThan(4_000);
  });

  it('records metadata and reports TTL-based expiry times through get()', async () => {
    const store = new RedisIdempotencyStore({ client, prefix });
    const c = await store.claim('meta', { leaseMs: 10_000, eventType: 'organization.updated', source: 'webhook' });
    if (c.status !== 'claimed') throw new Error('not claimed');
    const rec = await store.get('meta');
    expect(rec).toMatchObject({
      key: 'meta',
      status: 'in_progress',
      eventType: 'organization.updated',
      source: 'webhook',
    });
    expect(rec!.expiresAt - Date.now()).toBeGreaterThan(9_000);
    await store.complete('meta', c.token, { retainMs: 60_000 });
    expect(await store.get('meta')).toMatchObject({ status: 'completed', eventType: 'organization.updated' });
    expect(await client.get(store.redisKey('meta'))).toMatch(/^c:/);
  });

  it('completes, releases and reads after SCRIPT FLUSH (NOSCRIPT → EVAL), and EVAL caches the script again', async () => {
    const sent: string[] = [];
    const recording = {
      call: (command: string, ...args: string[]) => {
        sent.push(command);
        return client.call(command, ...args);
      },
    };
    const store = new RedisIdempotencyStore({ client: recording, prefix });
    const first = await store.claim('flushed', { leaseMs: 5_000 });
    if (first.status !== 'claimed') throw new Error(first.status);
    await client.script('FLUSH');
    expect(await store.release('flushed', first.token)).toBe(true);
    const second = await store.claim('flushed', { leaseMs: 5_000 });
    if (second.status !== 'claimed') throw new Error(second.status);
    await client.script('FLUSH');
    expect(await store.complete('flushed', second.token)).toBe(true);
    await client.script('FLUSH');
    expect(await store.get('flushed')).toMatchObject({ status: 'completed' });
    expect(sent.filter((c) => c === 'EVAL').length).toBeGreaterThanOrEqual(3); // one per flush
    expect(sent).not.toContain('SCRIPT');
    // After the EVAL fallback the script is cached again, so the next call is a plain EVALSHA. (Retried: a file
    // that flushes this shared Redis at that very moment would add an EVAL.)
    const runs: string[][] = [];
    for (let i = 0; i < 3 && !runs.some((r) => r.length === 1); i++) {
      sent.length = 0;
      expect(await store.get('flushed')).toMatchObject({ status: 'completed' });
      runs.push([...sent]);
    }
    expect(runs).toContainEqual(['EVALSHA']);
  });
});

describe.skipIf(typeof pool === 'string')('PostgresIdempotencyStore specifics', () => {
  const client = pool as Exclude<typeof pool, string>;

  it('migrate() is idempotent and safe when many instances boot at once', async () => {
    const table = `mig_${runId}`;
    tables.push(`"${table}"`);
    const stores = Array.from({ length: 8 }, () => new PostgresIdempotencyStore({ client, table }));
    await Promise.all(stores.map((s) => s.migrate()));
    await stores[0]!.migrate();
    const { rows } = await client.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
      [table],
    );
    expect(rows.map((r) => r.column_name)).toEqual([
      'namespace',
      'event_id',
      'event_type',
      'source',
      'received_at',
      'status',
      'lease_expires_at',
      'completed_at',
      'retain_until',
      'token',
    ]);
  });

  it('works in a schema-qualified table and records metadata', async () => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "s_${runId}"`);
    const store = new PostgresIdempotencyStore({ client, table: `s_${runId}.dedup` });
    await store.migrate();
    const c = await store.claim('e1', { leaseMs: 30_000, eventType: 'user.created', source: 'api' });
    if (c.status !== 'claimed') throw new Error('not claimed');
    expect(await store.get('e1')).toMatchObject({ status: 'in_progress', eventType: 'user.created', source: 'api' });
    const { rows } = await client.query(`SELECT status, source, event_type, token FROM "s_${runId}".dedup`);
    expect(rows).toEqual([{ status: 'in_progress', source: 'api', event_type: 'user.created', token: c.token }]);
    expect(await store.complete('e1', c.token, { retainMs: 1 })).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.purgeExpired()).toBe(1);
  });

  it('exposes its DDL for your own migration tool', () => {
    const ddl = postgresIdempotencySchema('my_events');
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS "my_events"');
    expect(ddl).toContain('PRIMARY KEY (namespace, event_id)');
    expect(() => postgresIdempotencySchema('bad name')).toThrow(TypeError);
  });
});
