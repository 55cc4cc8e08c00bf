/**
 * `workos-events/stores/redis`: an {@link IdempotencyStore} in Redis (or Valkey), over a `redis` (node-redis ≥ 4)
 * or `ioredis` client you have already connected: a single server or a Redis Cluster.
 * @packageDocumentation
 */
import type { ClaimOptions, ClaimResult, CompleteOptions, IdempotencyRecord, IdempotencyStore } from '../types.js';
import { DEFAULT_RETAIN_MS } from '../types.js';
import { assertKey, assertToken, checkDuration, checkNamespace, newToken } from '../validate.js';

/**
 * A node-redis client (v4, v5, v6): the store sends raw commands through `sendCommand`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: NodeRedisClientLike = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * A node-redis cluster client (`createCluster`, v4, v5, v6): its `sendCommand` takes the key to route by first.
 * The store tells it from a single-node client by its `masters` property.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * const client: NodeRedisClusterLike = await createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7101' }] }).connect();
 * ```
 */
export interface NodeRedisClusterLike {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  readonly masters: readonly unknown[];
}

/**
 * An ioredis client, single-node (`Redis`) or cluster (`Cluster`): the store sends raw commands through `call`,
 * which a `Cluster` routes by the command's key.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * const client: IoRedisClientLike = new Redis(process.env.REDIS_URL);
 * ```
 */
export interface IoRedisClientLike {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * Any supported client, told apart by shape: ioredis has `call`; node-redis has `sendCommand`, and its cluster
 * client also has `masters`.
 *
 * @example
 * ```ts
 * const client: RedisClientLike = new Redis();
 * ```
 */
export type RedisClientLike = NodeRedisClientLike | NodeRedisClusterLike | IoRedisClientLike;

/**
 * Options of {@link RedisIdempotencyStore}.
 *
 * @example
 * ```ts
 * new RedisIdempotencyStore({ client, prefix: 'myapp:webhooks:', namespace: tenantId });
 * ```
 */
export interface RedisIdempotencyStoreOptions {
  /**
   * A connected node-redis or ioredis client, single-node or cluster. The store never connects, quits or
   * reconfigures it.
   */
  client: RedisClientLike;
  /** Key prefix. Default `workos-events:idem:`. */
  prefix?: string;
  /** Isolates tenants sharing one Redis. Default: `''`. */
  namespace?: string;
}

// Values: `p:<token>:<claimedAtMs>:<source>:<eventType>` while in progress (PX = lease),
//         `c:<token>:<completedAtMs>:<source>:<eventType>` once completed (PX = retention).
// Claim is `SET NX PX` (atomic; one round trip when it wins); complete and release are one script on one key
// (atomic compare-and-set on the token). Every command and script touches exactly one key and is sent to that
// key's node, so a Redis Cluster needs no hash tags.
const COMPLETE = `local v = redis.call('GET', KEYS[1])
local p = 'p:' .. ARGV[1] .. ':'
if not v or string.sub(v, 1, #p) ~= p then return 0 end
local rest = string.sub(v, #p + 1)
local i = string.find(rest, ':', 1, true)
redis.call('SET', KEYS[1], 'c:' .. ARGV[1] .. ':' .. ARGV[2] .. string.sub(rest, i), 'PX', ARGV[3])
return 1`;

const RELEASE = `local v = redis.call('GET', KEYS[1])
local p = 'p:' .. ARGV[1] .. ':'
if v and string.sub(v, 1, #p) == p then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

const INSPECT = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}`;

const SCRIPTS = { complete: COMPLETE, release: RELEASE, inspect: INSPECT };
type ScriptName = keyof typeof SCRIPTS;

/** Sends one command that touches `key` (clusters route by it). */
type Send = (key: string, args: string[]) => Promise<unknown>;

// The SHA-1 of each script, computed once per process with WebCrypto (no hashing library, works on every
// runtime); kept once known so the hot path does not wait on a promise. `undefined` where WebCrypto is missing:
// the store then sends EVAL every time.
type Shas = Record<ScriptName, string> | undefined;
let knownShas: Shas;
let pendingShas: Promise<Shas> | undefined;
function scriptShas(): Shas | Promise<Shas> {
  if (knownShas) return knownShas;
  pendingShas ??= (async () => {
    const hex = async (text: string) => {
      const digest = await globalThis.crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
      return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    };
    const [complete, release, inspect] = await Promise.all([hex(COMPLETE), hex(RELEASE), hex(INSPECT)]);
    knownShas = { complete, release, inspect };
    return knownShas;
  })().catch(() => undefined);
  return pendingShas;
}

function isNoScript(err: unknown): boolean {
  return String((err as Error)?.message).startsWith('NOSCRIPT');
}

function sender(client: unknown): Send {
  const c = client as Partial<NodeRedisClientLike & NodeRedisClusterLike & IoRedisClientLike> | null | undefined;
  if (c && typeof c.call === 'function') {
    // ioredis `Redis` and `Cluster`: a Cluster finds the key in the arguments (EVALSHA/EVAL included).
    const call = c.call.bind(c);
    return (_key, [command, ...args]) => call(command!, ...args);
  }
  if (c && typeof c.sendCommand === 'function') {
    const sendCommand = c.sendCommand.bind(c) as (...args: unknown[]) => Promise<unknown>;
    // node-redis `createCluster`: `sendCommand(firstKey, isReadonly, args)`; writes and scripts go to the master.
    if ('masters' in c) return (key, args) => sendCommand(key, false, args);
    return (_key, args) => sendCommand(args);
  }
  throw new TypeError(
    'RedisIdempotencyStore needs { client }: a connected node-redis or ioredis client (single-node or cluster).',
  );
}

/**
 * {@link IdempotencyStore} in Redis. Claim is `SET <key> p:<token>… NX PX <leaseMs>` (then a `GET` to tell
 * `in_progress` from `duplicate` when it loses); complete and release are Lua scripts that act only if the key still
 * holds the caller's token (the fencing check). A script is sent as `EVALSHA` and, when the key's node answers
 * `NOSCRIPT` (first use there, restart, failover, `SCRIPT FLUSH`), as `EVAL`, which also caches it on that node.
 * Leases and retention are Redis TTLs, so time is the Redis server's clock and expired entries disappear by
 * themselves; no `KEYS`/`SCAN` is ever issued.
 *
 * Redis Cluster: pass an ioredis `Cluster` or a node-redis `createCluster` client. Every command and script
 * touches one key and is sent to the master that owns it, so no hash tag is needed (a `{…}` in `prefix` would
 * put every key on one shard).
 *
 * Key layout: `<prefix><encodeURIComponent(namespace)>:<key>`, e.g. `workos-events:idem::event_01H…` (default
 * namespace) or `workos-events:idem:acme:event_01H…`.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'; // or: import Redis from 'ioredis'
 * import { RedisIdempotencyStore } from 'workos-events/stores/redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = new RedisIdempotencyStore({ client });
 * ```
 *
 * @example Redis Cluster
 * ```ts
 * import { createCluster } from 'redis'; // or: import { Cluster } from 'ioredis'; new Cluster([{ host, port }])
 *
 * const client = await createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] }).connect();
 * const store = new RedisIdempotencyStore({ client });
 * ```
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #send: Send;
  readonly #base: string;

  constructor(options: RedisIdempotencyStoreOptions) {
    this.#send = sender(options?.client);
    const prefix = options.prefix ?? 'workos-events:idem:';
    if (typeof prefix !== 'string') throw new TypeError('prefix must be a string.');
    this.#base = `${prefix}${encodeURIComponent(checkNamespace(options.namespace))}:`;
  }

  /** The Redis key that holds `key` (for debugging with `redis-cli`). */
  redisKey(key: string): string {
    assertKey(key);
    return this.#base + key;
  }

  async claim(key: string, opts: ClaimOptions): Promise<ClaimResult> {
    assertKey(key);
    const leaseMs = checkDuration(opts?.leaseMs, 'leaseMs');
    const value = (token: string) => `p:${token}:${Date.now()}:${opts.source ?? ''}:${opts.eventType ?? ''}`;
    const redisKey = this.#base + key;
    // A lost SET NX is followed by a GET to say why. If the key vanished in between (lease ended, released,
    // retention over), try again: bounded, because each retry follows someone else's progress.
    for (let attempt = 0; attempt < 10; attempt++) {
      const token = newToken();
      const won = await this.#send(redisKey, ['SET', redisKey, value(token), 'NX', 'PX', String(leaseMs)]);
      if (won !== null && won !== undefined) return { status: 'claimed', token };
      const current = await this.#send(redisKey, ['GET', redisKey]);
      if (typeof current === 'string')
        return current.startsWith('c:') ? { status: 'duplicate' } : { status: 'in_progress' };
    }
    return { status: 'in_progress' };
  }

  async complete(key: string, token: string, opts?: CompleteOptions): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    const retainMs = checkDuration(opts?.retainMs ?? DEFAULT_RETAIN_MS, 'retainMs');
    const args = [token, String(Date.now()), String(retainMs)];
    return Number(await this.#eval('complete', this.#base + key, args)) === 1;
  }

  async release(key: string, token: string): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    return Number(await this.#eval('release', this.#base + key, [token])) === 1;
  }

  /** The key's state. Redis drops an ended lease by itself, so an expired claim reads as absent (`undefined`). */
  async get(key: string): Promise<IdempotencyRecord | undefined> {
    assertKey(key);
    const reply = (await this.#eval('inspect', this.#base + key, [])) as [unknown, unknown] | null;
    const value = reply?.[0];
    const pttl = Number(reply?.[1]);
    if (typeof value !== 'string' || !(pttl > 0)) return undefined;
    // `<state>:<token>:<ms>:<source>:<eventType…>` (the event type may itself hold colons).
    const [state, , at, source, ...type] = value.split(':');
    const eventType = type.join(':');
    return {
      key,
      status: state === 'c' ? 'completed' : 'in_progress',
      expiresAt: Date.now() + pttl,
      updatedAt: Number(at),
      ...(eventType ? { eventType } : {}),
      ...(source === 'webhook' || source === 'api' ? { source } : {}),
    };
  }

  /** Nothing to free: the client is yours to quit. */
  async close(): Promise<void> {}

  async #eval(name: ScriptName, key: string, args: string[]): Promise<unknown> {
    const shas = scriptShas();
    const sha = (shas instanceof Promise ? await shas : shas)?.[name];
    if (sha) {
      try {
        return await this.#send(key, ['EVALSHA', sha, '1', key, ...args]);
      } catch (err) {
        // NOSCRIPT means nothing ran: the key's node has not cached the script yet (or lost it), so send it whole.
        if (!isNoScript(err)) throw err;
      }
    }
    return this.#send(key, ['EVAL', SCRIPTS[name], '1', key, ...args]);
  }
}
