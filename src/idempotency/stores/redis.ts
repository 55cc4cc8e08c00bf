/**
 * `workos-events/stores/redis`: an {@link IdempotencyStore} in Redis (or Valkey), over a `redis` (node-redis ≥ 4)
 * or `ioredis` client you have already connected.
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
 * An ioredis client: the store sends raw commands through `call`.
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
 * Either supported client, told apart by shape (ioredis has `call`, node-redis has `sendCommand(args[])`).
 *
 * @example
 * ```ts
 * const client: RedisClientLike = new Redis();
 * ```
 */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike;

/**
 * Options of {@link RedisIdempotencyStore}.
 *
 * @example
 * ```ts
 * new RedisIdempotencyStore({ client, prefix: 'myapp:webhooks:', namespace: tenantId });
 * ```
 */
export interface RedisIdempotencyStoreOptions {
  /** A connected node-redis or ioredis client. The store never connects, quits or reconfigures it. */
  client: RedisClientLike;
  /** Key prefix. Default `workos-events:idem:`. */
  prefix?: string;
  /** Isolates tenants sharing one Redis. Default: `''`. */
  namespace?: string;
}

// Values: `p:<token>:<claimedAtMs>:<source>:<eventType>` while in progress (PX = lease),
//         `c:<token>:<completedAtMs>:<source>:<eventType>` once completed (PX = retention).
// Claim is `SET NX PX` (atomic; one round trip when it wins); complete and release are one script on one key
// (atomic compare-and-set on the token). Everything touches a single key: cluster-safe.
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

/**
 * {@link IdempotencyStore} in Redis. Claim is `SET <key> p:<token>… NX PX <leaseMs>` (then a `GET` to tell
 * `in_progress` from `duplicate` when it loses); complete and release are Lua scripts (`EVALSHA`; the SHA comes from
 * `SCRIPT LOAD` on first use and again after `NOSCRIPT`, so the store needs no hashing library) that act only if the key still holds the caller's token (the fencing check). Leases and retention are Redis TTLs, so time is
 * the Redis server's clock and expired entries disappear by themselves; no `KEYS`/`SCAN` is ever issued.
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
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #send: (args: string[]) => Promise<unknown>;
  readonly #base: string;
  readonly #shas = new Map<ScriptName, Promise<string>>();

  constructor(options: RedisIdempotencyStoreOptions) {
    const client = options?.client as Partial<NodeRedisClientLike & IoRedisClientLike> | undefined;
    if (client && typeof client.call === 'function') {
      const call = client.call.bind(client);
      this.#send = ([command, ...args]) => call(command!, ...args);
    } else if (client && typeof client.sendCommand === 'function') {
      const sendCommand = client.sendCommand.bind(client);
      this.#send = (args) => sendCommand(args);
    } else {
      throw new TypeError('RedisIdempotencyStore needs { client }: a connected node-redis or ioredis client.');
    }
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
      const won = await this.#send(['SET', redisKey, value(token), 'NX', 'PX', String(leaseMs)]);
      if (won !== null && won !== undefined) return { status: 'claimed', token };
      const current = await this.#send(['GET', redisKey]);
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
    try {
      return await this.#send(['EVALSHA', await this.#sha(name), '1', key, ...args]);
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      // The server lost its script cache (restart, failover, SCRIPT FLUSH): load again and retry once.
      this.#shas.delete(name);
      return this.#send(['EVALSHA', await this.#sha(name), '1', key, ...args]);
    }
  }

  #sha(name: ScriptName): Promise<string> {
    let sha = this.#shas.get(name);
    if (!sha) {
      sha = this.#send(['SCRIPT', 'LOAD', SCRIPTS[name]]).then(String);
      sha.catch(() => this.#shas.delete(name));
      this.#shas.set(name, sha);
    }
    return sha;
  }
}
