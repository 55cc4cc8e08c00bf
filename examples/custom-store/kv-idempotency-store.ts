/**
 * A custom `IdempotencyStore` over any key-value service with compare-and-set (see conditional-kv.ts). Each event
 * id is one key holding a small JSON record; every change is a conditional write against the version just read,
 * so of two racing workers exactly one wins and the other re-reads and sees the winner's record.
 */
import { randomUUID } from 'node:crypto';
import type { ClaimOptions, ClaimResult, CompleteOptions, IdempotencyRecord, IdempotencyStore } from 'workos-events';
import type { ConditionalKV, VersionedValue } from './conditional-kv.js';

/** How long a processed event id is remembered by default (WorkOS retries for days; the Events API keeps 30). */
const DEFAULT_RETAIN_MS = 30 * 24 * 60 * 60 * 1000;

interface StoredRecord {
  status: 'in_progress' | 'completed';
  token: string;
  /** Lease end (in progress) or retention end (completed), epoch ms. */
  until: number;
  updatedAt: number;
  eventType?: string;
  source?: 'webhook' | 'api';
}

export interface KvIdempotencyStoreOptions {
  kv: ConditionalKV;
  /** Keeps tenants (or environments) sharing one KV apart. Default `''`. */
  namespace?: string;
  /** Clock (epoch ms). Workers sharing a KV must have synchronised clocks (NTP): leases compare their times. */
  now?: () => number;
}

function positiveMs(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive, finite number of milliseconds.`);
  return Math.ceil(value);
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') throw new TypeError('Idempotency key must be a non-empty string.');
}

export class KvIdempotencyStore implements IdempotencyStore {
  readonly #kv: ConditionalKV;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor({ kv, namespace = '', now = Date.now }: KvIdempotencyStoreOptions) {
    this.#kv = kv;
    // encodeURIComponent never yields ':', so "a:b" + "c" and "a" + "b:c" cannot collide.
    this.#prefix = `workos-events:${encodeURIComponent(namespace)}:`;
    this.#now = now;
  }

  async #read(key: string): Promise<{ entry: VersionedValue; record: StoredRecord } | undefined> {
    const entry = await this.#kv.get(this.#prefix + key);
    return entry ? { entry, record: JSON.parse(entry.value) as StoredRecord } : undefined;
  }

  #write(key: string, record: StoredRecord, expected: string | null): Promise<boolean> {
    return this.#kv.setIf(this.#prefix + key, JSON.stringify(record), expected, { expireAt: record.until });
  }

  async claim(key: string, opts: ClaimOptions): Promise<ClaimResult> {
    checkKey(key);
    const leaseMs = positiveMs(opts?.leaseMs, 'leaseMs');
    for (;;) {
      const now = this.#now();
      const current = await this.#read(key);
      if (current && current.record.until > now)
        return current.record.status === 'completed' ? { status: 'duplicate' } : { status: 'in_progress' };
      // Absent, or its lease/retention is over: take it, unless someone else changes it first.
      const token = randomUUID();
      const record: StoredRecord = {
        status: 'in_progress',
        token,
        until: now + leaseMs,
        updatedAt: now,
        ...(opts.eventType ? { eventType: opts.eventType } : {}),
        ...(opts.source ? { source: opts.source } : {}),
      };
      if (await this.#write(key, record, current?.entry.version ?? null)) return { status: 'claimed', token };
      // Lost the race: read again and answer from the winner's record.
    }
  }

  async complete(key: string, token: string, opts: CompleteOptions = {}): Promise<boolean> {
    checkKey(key);
    const retainMs = positiveMs(opts.retainMs ?? DEFAULT_RETAIN_MS, 'retainMs');
    for (;;) {
      const now = this.#now();
      const current = await this.#read(key);
      // Fencing: only the holder of a live lease may complete.
      if (current?.record.status !== 'in_progress' || current.record.token !== token) return false;
      if (current.record.until <= now) return false;
      const done: StoredRecord = { ...current.record, status: 'completed', until: now + retainMs, updatedAt: now };
      if (await this.#write(key, done, current.entry.version)) return true;
    }
  }

  async release(key: string, token: string): Promise<boolean> {
    checkKey(key);
    for (;;) {
      const current = await this.#read(key);
      if (current?.record.status !== 'in_progress' || current.record.token !== token) return false;
      if (await this.#kv.deleteIf(this.#prefix + key, current.entry.version)) return true;
    }
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    checkKey(key);
    const current = await this.#read(key);
    if (!current) return undefined;
    const { record } = current;
    return {
      key,
      status: record.until <= this.#now() ? 'expired' : record.status,
      expiresAt: record.until,
      updatedAt: record.updatedAt,
      ...(record.eventType ? { eventType: record.eventType } : {}),
      ...(record.source ? { source: record.source } : {}),
    };
  }
}
