/**
 * Idempotency stores: claim + complete per second, at concurrency 1 and 50, each event a fresh key.
 * Baselines run in the same process, by the same client, in alternating rounds (median of 3 shown):
 * - Redis: a raw `SET key v NX PX` (the bare minimum claim, no complete, no fencing), and a raw unfenced
 *   claim + complete (`SET NX PX` then `SET XX PX`: the same two round trips without the token check);
 * - Postgres: a raw `INSERT … ON CONFLICT DO NOTHING` into a one-column table;
 * - SQLite and memory: absolute figures.
 * Needs REDIS_URL / DATABASE_URL (defaults: the local services) and, for the Redis Cluster rows,
 * REDIS_CLUSTER_NODES (default: the 3 masters of scripts/ensure-redis-cluster.sh); a missing service is
 * reported, not faked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import IORedis, { Cluster } from 'ioredis';
import pg from 'pg';
import { createClient, createCluster } from 'redis';
import { MemoryIdempotencyStore } from '../src/idempotency/memory-store.js';
import { PostgresIdempotencyStore } from '../src/idempotency/stores/postgres.js';
import { RedisIdempotencyStore } from '../src/idempotency/stores/redis.js';
import { type SqliteDatabaseLike, SqliteIdempotencyStore } from '../src/idempotency/stores/sqlite.js';
import type { IdempotencyStore } from '../src/idempotency/types.js';
import type { BenchContext } from './run.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_CLUSTER_NODES = (process.env.REDIS_CLUSTER_NODES ?? '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103')
  .split(',')
  .map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host: host!, port: Number(port) };
  });
const RUN = `${process.pid}_${Date.now().toString(36)}`;
const ROUNDS = 3;
const SECONDS = 1.5;
const CONCURRENCY = [1, 50];
const RETAIN = { retainMs: 10 * 60_000 };
let seq = 0; // one sequence for the whole run: every key is fresh

type Op = (key: string) => Promise<unknown>;

/** Runs `op` on fresh keys from `concurrency` lanes for SECONDS; returns operations per second. */
async function measure(op: Op, concurrency: number, label: string): Promise<number> {
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  const lane = async () => {
    while (performance.now() < end) {
      await op(`${label}:${RUN}:${seq++}`);
      n++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return n / ((performance.now() - start) / 1000);
}

function claimComplete(store: IdempotencyStore): Op {
  return async (key) => {
    const c = await store.claim(key, { leaseMs: 60_000 });
    if (c.status !== 'claimed') throw new Error(`bench key was not fresh: ${c.status}`);
    if (!(await store.complete(key, c.token, RETAIN))) throw new Error('complete refused');
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Alternates the contenders round by round (so drift hits all alike) and returns each one's median. */
async function compare(ctx: BenchContext, ops: Array<[string, Op]>, concurrency: number): Promise<number[]> {
  const results = ops.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, [label, op]] of ops.entries()) {
      results[i]!.push(await measure(op, concurrency, `${label}:${r}`));
    }
  }
  const medians = results.map(median);
  ctx.log(`  c=${concurrency}: ${ops.map(([l], i) => `${l} ${fmt(medians[i]!)}/s`).join(', ')}`);
  return medians;
}

/** A client's name, how it sends a raw command, and the store over it. */
type RedisContender = [string, (args: string[]) => Promise<unknown>, RedisIdempotencyStore];

const REDIS_HEADER = [
  '| client | concurrency | store claim+complete/s | raw `SET NX PX`/s | store ÷ raw | raw `SET NX PX` + `SET XX PX`/s | store ÷ raw pair |',
  '|---|---:|---:|---:|---:|---:|---:|',
];

/** Store vs raw rows for each client, at each concurrency. */
async function redisRows(ctx: BenchContext, clients: RedisContender[], prefix: string): Promise<string[]> {
  const rows: string[] = [];
  for (const [name, send, store] of clients) {
    ctx.log(`Redis (${name})`);
    const rawClaim: Op = (key) => send(['SET', `${prefix}${key}`, '1', 'NX', 'PX', '60000']);
    const rawBoth: Op = async (key) => {
      await send(['SET', `${prefix}${key}`, 'p', 'NX', 'PX', '60000']);
      await send(['SET', `${prefix}${key}`, 'c', 'XX', 'PX', '600000']);
    };
    for (const c of CONCURRENCY) {
      const [s, raw, both] = await compare(
        ctx,
        [
          ['store', claimComplete(store)],
          ['raw', rawClaim],
          ['raw2', rawBoth],
        ],
        c,
      );
      rows.push(
        `| ${name} | ${c} | ${fmt(s!)} | ${fmt(raw!)} | **${(s! / raw!).toFixed(2)}×** | ${fmt(both!)} | ${(s! / both!).toFixed(2)}× |`,
      );
    }
  }
  return rows;
}

async function redisSection(ctx: BenchContext): Promise<string> {
  const rows: string[] = [];
  const node = createClient({ url: REDIS_URL });
  node.on('error', () => {});
  const io = new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  io.on('error', () => {});
  try {
    await node.connect();
    await io.connect();
  } catch (err) {
    await io.quit().catch(() => {});
    return `Redis: not measured (${(err as Error).message}).`;
  }
  const prefix = `workos-events-bench:${RUN}:`;
  const clients: RedisContender[] = [
    ['node-redis', (a) => node.sendCommand(a), new RedisIdempotencyStore({ client: node, prefix })],
    ['ioredis', ([c, ...a]) => io.call(c!, ...a), new RedisIdempotencyStore({ client: io, prefix })],
  ];
  rows.push(...(await redisRows(ctx, clients, prefix)));
  // Cleanup (SCAN, not KEYS).
  let cursor = '0';
  do {
    const [next, keys] = await io.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await io.unlink(...keys);
  } while (cursor !== '0');
  await node.quit();
  await io.quit();
  return ['### Redis: `RedisIdempotencyStore` vs raw commands by the same client', '', ...REDIS_HEADER, ...rows].join(
    '\n',
  );
}

async function redisClusterSection(ctx: BenchContext): Promise<string> {
  const io = new Cluster(REDIS_CLUSTER_NODES, { lazyConnect: true, clusterRetryStrategy: () => null });
  io.on('error', () => {});
  const node = createCluster({
    rootNodes: REDIS_CLUSTER_NODES.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    defaults: { socket: { reconnectStrategy: false } },
  });
  node.on('error', () => {});
  try {
    await io.connect();
    await node.connect();
  } catch (err) {
    io.disconnect();
    return `Redis Cluster: not measured (${(err as Error).message}; run \`bash scripts/ensure-redis-cluster.sh\`).`;
  }
  const prefix = `workos-events-bench:${RUN}:`;
  const masters = io.nodes('master').length;
  const rows = await redisRows(
    ctx,
    [
      [
        'node-redis createCluster',
        (a) => node.sendCommand(a[1], false, a),
        new RedisIdempotencyStore({ client: node, prefix }),
      ],
      ['ioredis Cluster', ([c, ...a]) => io.call(c!, ...a), new RedisIdempotencyStore({ client: io, prefix })],
    ],
    prefix,
  );
  for (const master of io.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await master.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      // One key per command: a multi-key UNLINK across slots is CROSSSLOT even on the owning node.
      if (keys.length) await keys.reduce((pipe, key) => pipe.unlink(key), master.pipeline()).exec();
    } while (cursor !== '0');
  }
  await node.close();
  await io.quit();
  return [
    `### Redis Cluster (${masters} masters, same machine): \`RedisIdempotencyStore\` vs raw commands by the same cluster client`,
    '',
    ...REDIS_HEADER,
    ...rows,
  ].join('\n');
}

async function postgresSection(ctx: BenchContext): Promise<string> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 20 });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    return `Postgres: not measured (${(err as Error).message}).`;
  }
  const table = `bench_idem_${RUN}`;
  const raw = `bench_raw_${RUN}`;
  const rows: string[] = [];
  try {
    const store = new PostgresIdempotencyStore({ client: pool, table });
    await store.migrate();
    await pool.query(`CREATE TABLE "${raw}" (event_id text PRIMARY KEY)`);
    const rawInsert: Op = (key) =>
      pool.query(`INSERT INTO "${raw}" (event_id) VALUES ($1) ON CONFLICT DO NOTHING`, [key]);
    ctx.log('Postgres (pg Pool, max 20)');
    for (const c of CONCURRENCY) {
      const [s, r] = await compare(
        ctx,
        [
          ['store', claimComplete(store)],
          ['raw', rawInsert],
        ],
        c,
      );
      rows.push(`| ${c} | ${fmt(s!)} | ${fmt(r!)} | **${(s! / r!).toFixed(2)}×** |`);
    }
  } finally {
    await pool.query(`DROP TABLE IF EXISTS "${table}", "${raw}"`);
    await pool.end();
  }
  return [
    '### Postgres: `PostgresIdempotencyStore` vs raw `INSERT … ON CONFLICT DO NOTHING` (same pg Pool, max 20)',
    '',
    '| concurrency | store claim+complete/s | raw insert/s | store ÷ raw |',
    '|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

async function localSection(ctx: BenchContext): Promise<string> {
  const rows: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'workos-events-bench-'));
  const stores: Array<[string, () => IdempotencyStore, () => void]> = [
    [
      'MemoryIdempotencyStore (maxEntries 1 000 000)',
      () => new MemoryIdempotencyStore({ maxEntries: 1_000_000 }),
      () => {},
    ],
  ];
  const require = createRequire(import.meta.url);
  try {
    const Database = require('better-sqlite3') as new (
      f: string,
    ) => SqliteDatabaseLike & {
      close(): void;
      pragma(s: string): unknown;
    };
    const db = new Database(path.join(dir, 'better.db')); // throws here if the native binding does not fit this Node
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    stores.push([
      'SqliteIdempotencyStore (better-sqlite3, file, WAL, synchronous=NORMAL)',
      () => new SqliteIdempotencyStore({ database: db }),
      () => db.close(),
    ]);
  } catch {
    ctx.log('better-sqlite3 not loadable on this Node: skipped');
  }
  try {
    const specifier = 'node:sqlite';
    const { DatabaseSync } = (await import(specifier)) as {
      DatabaseSync: new (f: string) => SqliteDatabaseLike & { close(): void };
    };
    const db = new DatabaseSync(path.join(dir, 'node.db'));
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    stores.push([
      'SqliteIdempotencyStore (node:sqlite, file, WAL, synchronous=NORMAL)',
      () => new SqliteIdempotencyStore({ database: db }),
      () => db.close(),
    ]);
  } catch {
    ctx.log(`node:sqlite not available on ${process.version}: skipped`);
  }
  for (const [name, make, close] of stores) {
    ctx.log(name);
    const store = make();
    for (const c of CONCURRENCY) {
      const [s] = await compare(ctx, [['store', claimComplete(store)]], c);
      rows.push(`| ${name} | ${c} | ${fmt(s!)} |`);
    }
    close();
  }
  rmSync(dir, { recursive: true, force: true });
  return [
    '### In-process stores (absolute)',
    '',
    '| store | concurrency | claim+complete/s |',
    '|---|---:|---:|',
    ...rows,
  ].join('\n');
}

export default async function bench(ctx: BenchContext): Promise<string> {
  const loadBefore = loadavg()[0]!.toFixed(1);
  const sections = [
    await redisSection(ctx),
    await redisClusterSection(ctx),
    await postgresSection(ctx),
    await localSection(ctx),
  ];
  const loadAfter = loadavg()[0]!.toFixed(1);
  return [
    '## Idempotency stores (`bench/stores.bench.ts`)',
    '',
    `Claim + complete of a fresh key per operation; ${ROUNDS} alternating rounds of ${SECONDS} s per contender, median shown. Target: store ≥ 0.5× the raw baseline. Services on the same machine (loopback), so round-trip latency is small and client CPU dominates. The store does two round trips (claim, then complete) where the raw \`SET NX PX\` / \`INSERT\` baseline does one, so 0.5× is about the ceiling at concurrency 1; the raw pair column shows the same two round trips without the fencing check. 1-minute load average ${loadBefore} before, ${loadAfter} after the run (the machine is shared; figures on a loaded machine are noisy).`,
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
}
