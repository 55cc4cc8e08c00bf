import type { ClaimOptions, ClaimResult, CompleteOptions, IdempotencyRecord, IdempotencyStore } from './types.js';
import { DEFAULT_RETAIN_MS } from './types.js';
import { assertKey, assertToken, checkDuration, checkNamespace, newToken } from './validate.js';

/**
 * Options of {@link MemoryIdempotencyStore}.
 *
 * @example
 * ```ts
 * const store = new MemoryIdempotencyStore({ maxEntries: 50_000 });
 * ```
 */
export interface MemoryIdempotencyStoreOptions {
  /**
   * Upper bound on remembered keys (default 10 000). When full, expired entries go first (swept at most once per
   * `maxEntries` evictions, to keep each call O(1) amortized), then the least recently used completed keys. Live leases are never evicted (that would allow double execution), so the map may exceed
   * the bound by the number of events in flight at that moment.
   */
  maxEntries?: number;
  /** Prefix that isolates tenants sharing one store instance. Default: none. */
  namespace?: string;
  /** Clock in epoch ms (for tests). Default `Date.now`. */
  now?: () => number;
}

interface Lease {
  token: string;
  expiresAt: number;
  updatedAt: number;
  eventType?: string;
  source?: 'webhook' | 'api';
}

interface Done {
  key: string;
  expiresAt: number;
  updatedAt: number;
  eventType?: string;
  source?: 'webhook' | 'api';
  // LRU list links (head = least recently used). A linked list, not Map insertion order: evicting from a Map's
  // head after many deletes walks over the deleted slots, which turns eviction quadratic at scale.
  prev?: Done;
  next?: Done;
}

/**
 * In-process {@link IdempotencyStore}: bounded, LRU over completed keys, TTLs checked on access (no timers, so it
 * never keeps the process alive). Dedups within one process only; use the SQLite, Redis or Postgres store when
 * several processes or machines receive events.
 *
 * @example
 * ```ts
 * import { MemoryIdempotencyStore } from 'workos-events';
 *
 * const store = new MemoryIdempotencyStore({ maxEntries: 10_000 });
 * const claim = await store.claim('event_01H...', { leaseMs: 30_000 });
 * if (claim.status === 'claimed') await store.complete('event_01H...', claim.token);
 * ```
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #max: number;
  readonly #ns: string;
  readonly #now: () => number;
  // Two maps so eviction never has to skip over live leases; completed keys also sit on an LRU list.
  readonly #leases = new Map<string, Lease>();
  readonly #done = new Map<string, Done>();
  #head: Done | undefined;
  #tail: Done | undefined;
  #sinceSweep = Number.POSITIVE_INFINITY; // the first overflow sweeps

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError('maxEntries must be a positive integer.');
    this.#max = max;
    this.#ns = checkNamespace(options.namespace);
    this.#now = options.now ?? Date.now;
  }

  /** Number of keys currently held (live or not yet purged). */
  get size(): number {
    return this.#leases.size + this.#done.size;
  }

  async claim(key: string, opts: ClaimOptions): Promise<ClaimResult> {
    assertKey(key);
    const leaseMs = checkDuration(opts?.leaseMs, 'leaseMs');
    const k = this.#key(key);
    const now = this.#now();
    const done = this.#done.get(k);
    if (done) {
      if (done.expiresAt > now) {
        this.#unlink(done);
        this.#append(done);
        return { status: 'duplicate' };
      }
      this.#drop(done);
    }
    const lease = this.#leases.get(k);
    if (lease && lease.expiresAt > now) return { status: 'in_progress' };
    const token = newToken();
    const next: Lease = { token, expiresAt: now + leaseMs, updatedAt: now };
    if (opts.eventType !== undefined) next.eventType = opts.eventType;
    if (opts.source !== undefined) next.source = opts.source;
    this.#leases.delete(k);
    this.#leases.set(k, next);
    this.#evict(now);
    return { status: 'claimed', token };
  }

  async complete(key: string, token: string, opts?: CompleteOptions): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    const retainMs = checkDuration(opts?.retainMs ?? DEFAULT_RETAIN_MS, 'retainMs');
    const k = this.#key(key);
    const now = this.#now();
    const lease = this.#live(k, token, now);
    if (!lease) return false;
    this.#leases.delete(k);
    const done: Done = { key: k, expiresAt: now + retainMs, updatedAt: now };
    if (lease.eventType !== undefined) done.eventType = lease.eventType;
    if (lease.source !== undefined) done.source = lease.source;
    this.#done.set(k, done);
    this.#append(done);
    this.#evict(now);
    return true;
  }

  async release(key: string, token: string): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    const k = this.#key(key);
    if (!this.#live(k, token, this.#now())) return false;
    this.#leases.delete(k);
    return true;
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    assertKey(key);
    const k = this.#key(key);
    const now = this.#now();
    const done = this.#done.get(k);
    if (done && done.expiresAt > now) {
      const record: IdempotencyRecord = {
        key,
        status: 'completed',
        expiresAt: done.expiresAt,
        updatedAt: done.updatedAt,
      };
      if (done.eventType !== undefined) record.eventType = done.eventType;
      if (done.source !== undefined) record.source = done.source;
      return record;
    }
    const lease = this.#leases.get(k);
    if (!lease) return undefined;
    const { token: _token, ...rest } = lease;
    return { key, status: lease.expiresAt > now ? 'in_progress' : 'expired', ...rest };
  }

  /** Forgets everything (tests, or a tenant reset). */
  async clear(): Promise<void> {
    this.#leases.clear();
    this.#done.clear();
    this.#head = undefined;
    this.#tail = undefined;
  }

  async close(): Promise<void> {
    await this.clear();
  }

  #key(key: string): string {
    return this.#ns ? `${this.#ns}\0${key}` : key;
  }

  #live(k: string, token: string, now: number): Lease | undefined {
    const lease = this.#leases.get(k);
    return lease && lease.token === token && lease.expiresAt > now ? lease : undefined;
  }

  #evict(now: number): void {
    if (this.size <= this.#max) return;
    // Expired entries go first, but a full sweep is O(n): do it at most once per `maxEntries` evictions so the
    // cost per call stays O(1) amortized. Between sweeps, evict least recently used completed keys.
    if (++this.#sinceSweep > this.#max) {
      this.#sinceSweep = 0;
      for (const v of this.#done.values()) if (v.expiresAt <= now) this.#drop(v);
      for (const [k, v] of this.#leases) if (v.expiresAt <= now) this.#leases.delete(k);
    }
    while (this.size > this.#max && this.#head) this.#drop(this.#head);
    // Only leases left and still over the bound (more events in flight than maxEntries): drop the ended ones.
    if (this.size > this.#max) for (const [k, v] of this.#leases) if (v.expiresAt <= now) this.#leases.delete(k);
  }

  #append(node: Done): void {
    node.prev = this.#tail;
    node.next = undefined;
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
  }

  #unlink(node: Done): void {
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }

  #drop(node: Done): void {
    this.#unlink(node);
    this.#done.delete(node.key);
  }
}
