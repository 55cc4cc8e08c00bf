// The Redis store on a real Redis Cluster (3 masters; scripts/ensure-redis-cluster.sh, REDIS_CLUSTER_NODES), over
// both cluster clients: the compliance suite, a 20-claim race, NOSCRIPT on the key's master made deterministic by
// SCRIPT FLUSH on every master, the commands the store sends (and where node-redis routes them), and the docs'
// cluster snippets run as written.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisIdempotencyStore } from '../../src/idempotency/stores/redis.js';
import type { IdempotencyStore } from '../../src/idempotency/types.js';
import { describeIdempotencyStore } from '../../src/testing/vitest.js';
import {
  type ClusterNode,
  clusterNodes,
  connectIoRedisCluster,
  connectNodeRedisCluster,
  deleteClusterPrefix,
  type NodeRedisCluster,
} from './redis-cluster.js';
import { runId } from './services.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nodes = clusterNodes();
const io = typeof nodes === 'string' ? nodes : await connectIoRedisCluster(nodes);
const node = typeof nodes === 'string' ? nodes : await connectNodeRedisCluster(nodes);
const skip = typeof io === 'string' ? io : typeof node === 'string' ? node : false;
const prefix = `workos-events-cluster-test:${runId}:`;

afterAll(async () => {
  if (typeof io !== 'string') {
    await deleteClusterPrefix(io, prefix);
    await deleteClusterPrefix(io, 'workos-events:idem::event_docs_'); // the docs snippets' keys
    await io.quit();
  }
  if (typeof node !== 'string') await node.close();
});

describeIdempotencyStore(
  'RedisIdempotencyStore (ioredis Cluster)',
  ({ namespace }) => new RedisIdempotencyStore({ client: io as Cluster, prefix: `${prefix}io:`, namespace }),
  { skip },
);

describeIdempotencyStore(
  'RedisIdempotencyStore (node-redis createCluster)',
  ({ namespace }) =>
    new RedisIdempotencyStore({ client: node as NodeRedisCluster, prefix: `${prefix}node:`, namespace }),
  { skip },
);

const fresh = (label: string) => `event_${label}_${globalThis.crypto.randomUUID()}`;

describe.skipIf(skip)('RedisIdempotencyStore on a Redis Cluster', () => {
  const ioCluster = io as Cluster;
  const nodeCluster = node as NodeRedisCluster;
  const masters = () => ioCluster.nodes('master');
  const flushAll = () => Promise.all(masters().map((m) => m.script('FLUSH')));

  /** The address (`host:port`) of the master that owns `key`'s slot, asked of the cluster itself. */
  async function ownerOf(key: string): Promise<string> {
    const slot = Number(await ioCluster.call('CLUSTER', 'KEYSLOT', key));
    const ranges = (await ioCluster.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`slot ${slot} has no master`);
    return `${range[2][0]}:${range[2][1]}`;
  }

  /** One store key per master, so every check below runs on all three shards. */
  async function keyPerMaster(store: RedisIdempotencyStore, label: string): Promise<string[]> {
    const byOwner = new Map<string, string>();
    while (byOwner.size < masters().length) {
      const key = fresh(label);
      const owner = await ownerOf(store.redisKey(key));
      if (!byOwner.has(owner)) byOwner.set(owner, key);
    }
    return [...byOwner.values()];
  }

  const clients: Array<[string, () => RedisIdempotencyStore]> = [
    ['ioredis Cluster', () => new RedisIdempotencyStore({ client: ioCluster, prefix: `${prefix}io:` })],
    ['node-redis createCluster', () => new RedisIdempotencyStore({ client: nodeCluster, prefix: `${prefix}node:` })],
  ];

  it('has three masters sharing the 16384 slots (the cluster the tests are meant to run on)', async () => {
    expect(masters()).toHaveLength(3);
    const info = String(await masters()[0]!.cluster('INFO'));
    expect(info).toContain('cluster_state:ok');
    expect(info).toContain('cluster_slots_assigned:16384');
  });

  it.each(clients)('lets exactly one of 20 concurrent claims of one key win (%s)', async (_, make) => {
    const store = make();
    const key = fresh('race20');
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(key, { leaseMs: 60_000 })));
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'in_progress')).toHaveLength(19);
  });

  it('lets exactly one of 20 concurrent claims win when they come through both cluster clients', async () => {
    const stores = [
      new RedisIdempotencyStore({ client: ioCluster, prefix }),
      new RedisIdempotencyStore({ client: nodeCluster, prefix }),
    ];
    const key = fresh('race20-both');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % 2]!.claim(key, { leaseMs: 60_000 })),
    );
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    const winner = results.findIndex((r) => r.status === 'claimed');
    const token = (results[winner] as { token: string }).token;
    expect(await stores[(winner + 1) % 2]!.complete(key, token)).toBe(true);
    expect(await stores[winner % 2]!.claim(key, { leaseMs: 60_000 })).toEqual({ status: 'duplicate' });
  });

  it.each(clients)(
    'completes, releases and reads on every master after SCRIPT FLUSH on all of them (NOSCRIPT → EVAL) (%s)',
    async (_, make) => {
      const store = make();
      for (const key of await keyPerMaster(store, 'flush')) {
        const first = await store.claim(key, { leaseMs: 60_000 });
        if (first.status !== 'claimed') throw new Error(first.status);
        await flushAll();
        expect(await store.release(key, first.token)).toBe(true);
        const second = await store.claim(key, { leaseMs: 60_000 });
        if (second.status !== 'claimed') throw new Error(second.status);
        await flushAll();
        expect(await store.complete(key, second.token)).toBe(true);
        await flushAll();
        expect(await store.get(key)).toMatchObject({ key, status: 'completed' });
        expect(await store.claim(key, { leaseMs: 60_000 })).toEqual({ status: 'duplicate' });
      }
    },
  );

  // Recording wrappers of the same shapes as the real clients, to see the commands the store sends.
  type Sent = { command: string; routedBy?: unknown; readonly?: unknown };
  const recorders: Array<[string, (sent: Sent[]) => RedisIdempotencyStore]> = [
    [
      'ioredis Cluster',
      (sent) => {
        const client = {
          call: (command: string, ...args: string[]) => {
            sent.push({ command });
            return ioCluster.call(command, ...args);
          },
        };
        return new RedisIdempotencyStore({ client, prefix: `${prefix}io:` });
      },
    ],
    [
      'node-redis createCluster',
      (sent) => {
        const client = {
          masters: nodeCluster.masters,
          sendCommand: (firstKey: string | undefined, readonly: boolean | undefined, args: string[]) => {
            sent.push({ command: args[0]!, routedBy: firstKey, readonly });
            return nodeCluster.sendCommand(firstKey, readonly, args);
          },
        };
        return new RedisIdempotencyStore({ client, prefix: `${prefix}node:` });
      },
    ],
  ];

  it.each(recorders)(
    "sends EVALSHA, and EVAL only where the key's master answered NOSCRIPT, which caches it there (%s)",
    async (name, make) => {
      const sent: Sent[] = [];
      const store = make(sent);
      const firsts = await keyPerMaster(store, 'sha-a');
      const seconds = await Promise.all(
        firsts.map(async (k) => {
          const owner = await ownerOf(store.redisKey(k));
          for (;;) {
            const key = fresh('sha-b');
            if ((await ownerOf(store.redisKey(key))) === owner) return key;
          }
        }),
      );
      await flushAll();
      for (const [i, first] of firsts.entries()) {
        for (const [key, expected] of [
          [first, ['SET', 'EVALSHA', 'EVAL']],
          [seconds[i]!, ['SET', 'EVALSHA']],
        ] as const) {
          sent.length = 0;
          const c = await store.claim(key, { leaseMs: 60_000 });
          if (c.status !== 'claimed') throw new Error(c.status);
          expect(await store.complete(key, c.token)).toBe(true);
          expect(sent.map((s) => s.command)).toEqual(expected);
          if (name.startsWith('node-redis')) {
            // Every command is routed by its key, to the master (never a replica).
            for (const s of sent) expect(s).toMatchObject({ routedBy: store.redisKey(key), readonly: false });
          }
        }
      }
      expect(sent.some((s) => s.command === 'SCRIPT')).toBe(false);
    },
  );

  it.each([
    ['redis-cluster-ioredis', 'ioredis Cluster'],
    ['redis-cluster-node-redis', 'node-redis createCluster'],
  ])('runs the docs snippet %s as written (%s)', async (snippet) => {
    const doc = readFileSync(path.join(root, 'docs/idempotency.md'), 'utf8');
    const match = new RegExp(`<!-- snippet: ${snippet} [^>]*-->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(doc);
    if (!match) throw new Error(`docs/idempotency.md has no snippet ${snippet}`);
    const seeds = nodes as ClusterNode[];
    const seed = (n: string) => {
      seeded++;
      return seeds[(Number(n) - 1) % seeds.length]!;
    };
    let seeded = 0;
    // Point the snippet's seed nodes (127.0.0.1:7101, :7102) at REDIS_CLUSTER_NODES, and its import at the source.
    const code = match[1]!
      .replace("'workos-events/stores/redis'", "'../../src/idempotency/stores/redis.js'")
      .replace(/host: '127\.0\.0\.1', port: 710(\d)/g, (_, n) => `host: '${seed(n).host}', port: ${seed(n).port}`)
      .replace(/redis:\/\/127\.0\.0\.1:710(\d)/g, (_, n) => `redis://${seed(n).host}:${seed(n).port}`);
    expect(seeded).toBe(4); // two seeds, host and port each
    expect(code).toContain('../../src/idempotency/stores/redis.js');
    const dir = path.join(root, '.tmp', `docs-snippets-${runId}`);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${snippet}.ts`);
    writeFileSync(file, `${code}\nexport { client, store };\n`);
    try {
      const mod = (await import(file)) as { client: { quit(): Promise<unknown> }; store: IdempotencyStore };
      try {
        const key = fresh('docs');
        const c = await mod.store.claim(key, { leaseMs: 60_000 });
        if (c.status !== 'claimed') throw new Error(c.status);
        expect(await mod.store.complete(key, c.token, { retainMs: 60_000 })).toBe(true);
        expect(await mod.store.claim(key, { leaseMs: 60_000 })).toEqual({ status: 'duplicate' });
      } finally {
        await mod.client.quit();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
