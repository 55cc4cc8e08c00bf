// Connection helpers for the Redis Cluster tests. The cluster (3 masters on 127.0.0.1:7101-7103) comes from
// scripts/ensure-redis-cluster.sh; REDIS_CLUSTER_NODES lists its seed nodes (.ci/run exports it). Unset or
// unreachable: skipped with a visible message locally, a failure under CI=true.
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { unavailable } from './services.js';

export interface ClusterNode {
  host: string;
  port: number;
}

/** The seed nodes from REDIS_CLUSTER_NODES (`host:port,host:port,…`), or the reason there are none. */
export function clusterNodes(): ClusterNode[] | string {
  const raw = process.env.REDIS_CLUSTER_NODES?.trim();
  if (!raw) {
    return unavailable(
      'Redis Cluster',
      new Error(
        'REDIS_CLUSTER_NODES is not set; run `bash scripts/ensure-redis-cluster.sh` and export ' +
          'REDIS_CLUSTER_NODES=127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103',
      ),
    );
  }
  return raw.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    if (!host || !Number(port)) throw new Error(`REDIS_CLUSTER_NODES: bad entry ${JSON.stringify(entry)}`);
    return { host, port: Number(port) };
  });
}

/** A connected ioredis `Cluster` (ready: it has the slot map), or the reason it could not connect. */
export async function connectIoRedisCluster(nodes: ClusterNode[]): Promise<Cluster | string> {
  const cluster = new Cluster(nodes, {
    lazyConnect: true,
    clusterRetryStrategy: () => null,
    redisOptions: { connectTimeout: 2_000, maxRetriesPerRequest: 1 },
  });
  cluster.on('error', () => {});
  try {
    await cluster.connect();
    return cluster;
  } catch (err) {
    cluster.disconnect();
    return unavailable('Redis Cluster', err);
  }
}

function makeNodeRedisCluster(nodes: ClusterNode[]) {
  return createCluster({
    rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    defaults: { socket: { connectTimeout: 2_000, reconnectStrategy: false } },
  });
}
export type NodeRedisCluster = ReturnType<typeof makeNodeRedisCluster>;

/** A connected node-redis cluster client, or the reason it could not connect. */
export async function connectNodeRedisCluster(nodes: ClusterNode[]): Promise<NodeRedisCluster | string> {
  const cluster = makeNodeRedisCluster(nodes);
  cluster.on('error', () => {});
  try {
    await cluster.connect();
    return cluster;
  } catch (err) {
    return unavailable('Redis Cluster', err);
  }
}

/** Deletes every key under `prefix` on every master (SCAN, never KEYS). Test cleanup only. */
export async function deleteClusterPrefix(cluster: Cluster, prefix: string): Promise<void> {
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      // One key per command: a multi-key DEL across slots is CROSSSLOT even on the owning node.
      if (keys.length) await keys.reduce((pipe, key) => pipe.del(key), node.pipeline()).exec();
    } while (cursor !== '0');
  }
}
