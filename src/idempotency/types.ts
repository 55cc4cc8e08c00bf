/**
 * The result of {@link IdempotencyStore.claim}.
 * - `claimed`: you own the key until the lease ends; finish with `complete` or `release`, passing `token`.
 * - `in_progress`: someone else holds a live lease (answer 409 / try later).
 * - `duplicate`: the key was already completed (skip the work).
 */
export type ClaimResult = { status: 'claimed'; token: string } | { status: 'in_progress' } | { status: 'duplicate' };

/** Options of {@link IdempotencyStore.claim}. */
export interface ClaimOptions {
  /** How long the claim is yours. After that, without `complete`, the key is claimable again (crash recovery). */
  leaseMs: number;
  /** Optional metadata a store may record for debugging (Postgres keeps it in columns). */
  eventType?: string;
  source?: 'webhook' | 'api';
}

/** Options of {@link IdempotencyStore.complete}. */
export interface CompleteOptions {
  /** How long a completed key is remembered. Default 30 days (the Events API's retention). */
  retainMs?: number;
}

/** State of one key, for debugging ({@link IdempotencyStore.get}). */
export interface IdempotencyRecord {
  key: string;
  status: 'in_progress' | 'completed';
  /** Epoch ms when the lease (in progress) or the retention (completed) ends. */
  expiresAt: number;
  /** Epoch ms of the last claim or completion. */
  updatedAt: number;
}

/**
 * The atomic-claim contract every dedup store implements. The handler and `reconcile` know storage only through it.
 * Lifecycle of a key: (absent | expired) → claim → in_progress → complete → completed (retained) → expired → absent;
 * in_progress → release → absent. The token fences: `complete`/`release` with a stale token change nothing.
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
  claim(key: string, opts: ClaimOptions): Promise<ClaimResult>;
  /** Marks the key completed. Returns false (and changes nothing) if the lease was lost to another claimer. */
  complete(key: string, token: string, opts?: CompleteOptions): Promise<boolean>;
  /** Processing failed: forget the claim so a retry can claim at once. A stale token does nothing. */
  release(key: string, token: string): Promise<void>;
  /** Inspect one key (debugging). */
  get?(key: string): Promise<IdempotencyRecord | undefined>;
  close?(): Promise<void>;
}

/** Default retention of completed keys: 30 days. */
export const DEFAULT_RETAIN_MS = 30 * 24 * 60 * 60 * 1000;
