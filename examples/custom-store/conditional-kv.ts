/**
 * The two things a key-value service must offer for a correct idempotency store: read a key with its version, and
 * write or delete it only if the version is still the one read (compare-and-set). DynamoDB (`ConditionExpression`),
 * Deno KV (`atomic().check()`), etcd (`Txn`), Consul (`?cas=`), Cloudflare Durable Objects and Redis (`WATCH`) all
 * do. A plain get/set KV (Keyv, Memcached without `cas`) does not, and cannot make a claim atomic.
 */
export interface VersionedValue {
  value: string;
  /** Opaque; changes on every write. */
  version: string;
}

export interface ConditionalKV {
  get(key: string): Promise<VersionedValue | undefined>;
  /**
   * Writes `value` only if the key's version is still `expected` (`null`: only if the key is absent).
   * `expireAt` (epoch ms) lets the service drop the key by itself (DynamoDB TTL, Deno KV `expireIn`).
   * Resolves true when written, false when the condition failed.
   */
  setIf(key: string, value: string, expected: string | null, options: { expireAt: number }): Promise<boolean>;
  /** Deletes the key only if its version is still `expected`. */
  deleteIf(key: string, expected: string): Promise<boolean>;
}

/**
 * An in-process {@link ConditionalKV} for tests and local runs. Every call yields to the event loop first, as a
 * network round trip would, so races between concurrent callers really interleave.
 */
export class InMemoryConditionalKV implements ConditionalKV {
  readonly #data = new Map<string, VersionedValue & { expireAt: number }>();
  #versions = 0;

  /** The live entry, read synchronously: a compare-and-set must not yield between its read and its write. */
  #current(key: string): (VersionedValue & { expireAt: number }) | undefined {
    const entry = this.#data.get(key);
    if (entry && entry.expireAt <= Date.now()) {
      this.#data.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string): Promise<VersionedValue | undefined> {
    await Promise.resolve();
    const entry = this.#current(key);
    return entry ? { value: entry.value, version: entry.version } : undefined;
  }

  async setIf(key: string, value: string, expected: string | null, { expireAt }: { expireAt: number }) {
    await Promise.resolve();
    if ((this.#current(key)?.version ?? null) !== expected) return false;
    this.#data.set(key, { value, version: String(++this.#versions), expireAt });
    return true;
  }

  async deleteIf(key: string, expected: string): Promise<boolean> {
    await Promise.resolve();
    if (this.#current(key)?.version !== expected) return false;
    this.#data.delete(key);
    return true;
  }
}
