/**
 * The result of {@link IdempotencyStore.claim}.
 * - `claimed`: you own the key until the lease ends; finish with `complete` or `release`, passing `token`.
 * - `in_progress`: someone else holds a live lease (answer 409 / try later).
 * - `duplicate`: the key was already completed (skip the work).
 *
 * @example
 * ```ts
 * const result: ClaimResult = await store.claim('event_01H...', { leaseMs: 60_000 });
 * if (result.status === 'duplicate') return; // already handled
 * ```
 */
export type ClaimResult = { status: 'claimed'; token: string } | { status: 'in_progress' } | { status: 'duplicate' };

/**
 * Options of {@link IdempotencyStore.claim}.
 *
 * @example
 * ```ts
 * await store.claim(event.id, { leaseMs: 60_000, eventType: event.event, source: 'webhook' });
 * ```
 */
export interface ClaimOptions {
  /** How long the claim is yours. After that, without `complete`, the key is claimable again (crash recovery). */
  leaseMs: number;
  /** Optional metadata a store may record for debugging (SQLite and Postgres keep it in columns). */
  eventType?: string;
  /** Where the event came from, recorded for debugging by the stores that keep columns. */
  source?: 'webhook' | 'api';
}

/**
 * Options of {@link IdempotencyStore.complete}.
 *
 * @example
 * ```ts
 * await store.complete(event.id, claim.token, { retainMs: 3 * 24 * 60 * 60 * 1000 });
 * ```
 */
export interface CompleteOptions {
  /** How long a completed key is remembered. Default {@link DEFAULT_RETAIN_MS} (30 days, the Events API's retention). */
  retainMs?: number;
}

/**
 * The visible state of a key (Powertools-style explicit states):
 * - `in_progress`: claimed, lease still running;
 * - `completed`: done, remembered until `expiresAt`;
 * - `expired`: claimed but the lease ran out without `complete`/`release` (a crashed worker); claimable again.
 *   Stores whose backend drops expired entries by itself (Redis) report such a key as absent instead.
 *
 * @example
 * ```ts
 * const status: IdempotencyRecordStatus = (await store.get?.(id))?.status ?? 'in_progress';
 * ```
 */
export type IdempotencyRecordStatus = 'in_progress' | 'completed' | 'expired';

/**
 * State of one key, for debugging ({@link IdempotencyStore.get}).
 *
 * @example
 * ```ts
 * const record = await store.get?.('event_01H...');
 * if (record?.status === 'expired') console.warn('a worker died while handling', record.key);
 * ```
 */
export interface IdempotencyRecord {
  /** The key as given to `claim` (without namespace or prefix). */
  key: string;
  status: IdempotencyRecordStatus;
  /** Epoch ms when the lease (in progress / expired) or the retention (completed) ends. */
  expiresAt: number;
  /** Epoch ms of the last claim or completion. */
  updatedAt: number;
  /** Event type recorded at claim time, when the store keeps it. */
  eventType?: string;
  /** Source recorded at claim time, when the store keeps it. */
  source?: 'webhook' | 'api';
}

/**
 * The atomic-claim contract every dedup store implements. The handler and `reconcile` know storage only through it.
 * Lifecycle of a key: (absent | expired) → claim → in_progress → complete → completed (retained) → forgotten;
 * in_progress → release → absent; in_progress → lease ends → expired (claimable again).
 *
 * Rules every store follows (checked by `describeIdempotencyStore` from `workos-events/testing`):
 * - `claim` is atomic: of any number of concurrent claims of one claimable key, exactly one gets `claimed`.
 * - The token fences: `complete`/`release` act only while the caller's lease is live (same token, not expired);
 *   otherwise they change nothing and resolve `false`.
 * - Completed keys answer `duplicate` until their retention ends, then are claimable again.
 *
 * @example
 * ```ts
 * const claim = await store.claim(event.id, { leaseMs: 60_000 });
 * if (claim.status === 'claimed') {
 *   try { await work(event); await store.complete(event.id, claim.token); }
 *   catch (err) { await store.release(event.id, claim.token); throw err; }
 * }
 * ```
 */
export interface IdempotencyStore {
  /** Atomically claims `key` for `leaseMs`, or says why not (`in_progress` / `duplicate`). */
  claim(key: string, opts: ClaimOptions): Promise<ClaimResult>;
  /** Marks the key completed. Returns false (and changes nothing) if the lease was lost (expired or re-claimed). */
  complete(key: string, token: string, opts?: CompleteOptions): Promise<boolean>;
  /**
   * Processing failed: forget the claim so a retry can claim at once. A stale token does nothing.
   * The shipped stores resolve `true` when they released, `false` when the lease was no longer theirs.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: `void` keeps stores written against `Promise<void>` valid.
  release(key: string, token: string): Promise<boolean | void>;
  /** Inspect one key (debugging). `undefined` when the store holds nothing (or only forgotten state) for it. */
  get?(key: string): Promise<IdempotencyRecord | undefined>;
  /** Frees the store's own resources. Never closes a client you passed in. */
  close?(): Promise<void>;
}

/** Default retention of completed keys: 30 days (the Events API's retention; webhooks retry for 3 days). */
export const DEFAULT_RETAIN_MS = 30 * 24 * 60 * 60 * 1000;
