import { afterEach, describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../idempotency/types.js';

/**
 * What the compliance suite passes to your factory.
 *
 * @example
 * ```ts
 * const factory = ({ namespace }: IdempotencyStoreFactoryContext) => new RedisIdempotencyStore({ client, namespace });
 * ```
 */
export interface IdempotencyStoreFactoryContext {
  /**
   * Apply this namespace to the store (every shipped store takes a `namespace` option). `undefined` means the
   * store's default namespace. The suite uses it to check that namespaces are isolated.
   */
  namespace?: string;
}

/**
 * Creates a store for one test. Every call must return a store over the **same** backend (same client and table
 * or key prefix), so that two stores from the factory share state unless their namespaces differ. Use a prefix
 * or table unique to the test run so parallel runs do not collide; the suite uses fresh random keys in every test.
 *
 * @example
 * ```ts
 * const factory: IdempotencyStoreFactory = () => new MemoryIdempotencyStore();
 * ```
 */
export type IdempotencyStoreFactory = (
  context: IdempotencyStoreFactoryContext,
) => IdempotencyStore | Promise<IdempotencyStore>;

/**
 * Options of {@link describeIdempotencyStore}.
 *
 * @example
 * ```ts
 * describeIdempotencyStore('my store', factory, { skip: process.env.REDIS_URL ? false : 'REDIS_URL is not set' });
 * ```
 */
export interface DescribeIdempotencyStoreOptions {
  /** A reason to skip the whole suite (shown in the test name and printed once), or `false`/unset to run it. */
  skip?: string | false;
  /**
   * Whether two stores returned by the factory share state (true for any store over a database or Redis).
   * Set `false` for purely in-process stores such as `MemoryIdempotencyStore`: the cross-instance checks are
   * then skipped. Default `true`.
   */
  sharedBackend?: boolean;
  /** Lease used by the lease-expiry checks, in ms. Default 150: keep it short, the suite waits for it to end. */
  shortLeaseMs?: number;
  /** Number of simultaneous claims in the race checks. Default 100. */
  concurrency?: number;
}

const LONG_LEASE = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freshKey(label: string): string {
  return `event_${label}_${globalThis.crypto.randomUUID()}`;
}

/**
 * The idempotency-store compliance suite, for vitest (an optional peer dependency of `workos-events/testing`).
 * It checks the whole {@link IdempotencyStore} contract: claim / in_progress / duplicate, lease expiry and
 * re-claim, fencing (a stale token changes nothing), release, retention, exactly one winner among concurrent
 * claims (also of an expired key, and across store instances), independent keys and isolated namespaces, and
 * `get` when the store has it. Every store shipped with workos-events runs it; run it on your own store too.
 *
 * @example
 * ```ts
 * // test/my-store.test.ts
 * import { describeIdempotencyStore } from 'workos-events/testing';
 * import { MyStore } from '../src/my-store.js';
 *
 * describeIdempotencyStore('MyStore', ({ namespace }) => new MyStore({ url: process.env.MY_URL, namespace }));
 * ```
 */
export function describeIdempotencyStore(
  name: string,
  factory: IdempotencyStoreFactory,
  options: DescribeIdempotencyStoreOptions = {},
): void {
  const lease = options.shortLeaseMs ?? 150;
  const wait = lease * 2 + 50;
  const n = options.concurrency ?? 100;
  const shared = options.sharedBackend ?? true;

  if (options.skip) {
    console.warn(`[workos-events] skipping idempotency store compliance suite "${name}": ${options.skip}`);
    describe.skip(`IdempotencyStore compliance: ${name} (skipped: ${options.skip})`, () => {
      it('runs the contract checks', () => {});
    });
    return;
  }

  describe(`IdempotencyStore compliance: ${name}`, () => {
    const opened: IdempotencyStore[] = [];
    const make = async (context: IdempotencyStoreFactoryContext = {}): Promise<IdempotencyStore> => {
      const store = await factory(context);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      const stores = opened.splice(0);
      await Promise.all(stores.map((s) => s.close?.()));
    });

    async function claimToken(store: IdempotencyStore, key: string, leaseMs = LONG_LEASE): Promise<string> {
      const result = await store.claim(key, { leaseMs });
      expect(result.status).toBe('claimed');
      if (result.status !== 'claimed') throw new Error('unreachable');
      expect(typeof result.token).toBe('string');
      expect(result.token.length).toBeGreaterThan(0);
      return result.token;
    }

    it('claims a fresh key, then answers in_progress while the lease is live', async () => {
      const store = await make();
      const key = freshKey('fresh');
      await claimToken(store, key);
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'in_progress' });
    });

    it('answers duplicate after complete, and a second complete changes nothing', async () => {
      const store = await make();
      const key = freshKey('dup');
      const token = await claimToken(store, key);
      expect(await store.complete(key, token)).toBe(true);
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
      expect(await store.complete(key, token)).toBe(false);
      const released = await store.release(key, token);
      if (typeof released === 'boolean') expect(released).toBe(false);
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
    });

    it('gives every claim a different token', async () => {
      const store = await make();
      const tokens = new Set<string>();
      for (let i = 0; i < 20; i++) tokens.add(await claimToken(store, freshKey('tok')));
      expect(tokens.size).toBe(20);
    });

    it('makes a key claimable again once its lease expires (crash recovery), with a new token', async () => {
      const store = await make();
      const key = freshKey('expiry');
      const first = await claimToken(store, key, lease);
      await sleep(wait);
      const second = await claimToken(store, key);
      expect(second).not.toBe(first);
    });

    it('fences a stale token: complete → false and release → no-op once another worker re-claimed', async () => {
      const store = await make();
      const key = freshKey('fence');
      const stale = await claimToken(store, key, lease);
      await sleep(wait);
      const fresh = await claimToken(store, key);
      expect(await store.complete(key, stale)).toBe(false);
      const released = await store.release(key, stale);
      if (typeof released === 'boolean') expect(released).toBe(false);
      // The new owner's lease is untouched.
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'in_progress' });
      expect(await store.complete(key, fresh)).toBe(true);
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
    });

    it('refuses complete after the lease expired even if nobody re-claimed, and the key stays claimable', async () => {
      const store = await make();
      const key = freshKey('late');
      const token = await claimToken(store, key, lease);
      await sleep(wait);
      expect(await store.complete(key, token)).toBe(false);
      await claimToken(store, key);
    });

    it('refuses complete and release with a wrong token while the lease is live', async () => {
      const store = await make();
      const key = freshKey('wrong');
      const token = await claimToken(store, key);
      expect(await store.complete(key, 'not-the-token')).toBe(false);
      const released = await store.release(key, 'not-the-token');
      if (typeof released === 'boolean') expect(released).toBe(false);
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'in_progress' });
      expect(await store.complete(key, token)).toBe(true);
    });

    it('answers complete/release on an unknown key with false', async () => {
      const store = await make();
      const key = freshKey('unknown');
      expect(await store.complete(key, 'whatever')).toBe(false);
      const released = await store.release(key, 'whatever');
      if (typeof released === 'boolean') expect(released).toBe(false);
      await claimToken(store, key);
    });

    it('release lets a retry claim at once', async () => {
      const store = await make();
      const key = freshKey('release');
      const token = await claimToken(store, key);
      const released = await store.release(key, token);
      if (typeof released === 'boolean') expect(released).toBe(true);
      const again = await claimToken(store, key);
      expect(again).not.toBe(token);
    });

    it('forgets a completed key after its retention (retainMs) ends', async () => {
      const store = await make();
      const key = freshKey('retain');
      const token = await claimToken(store, key);
      expect(await store.complete(key, token, { retainMs: lease })).toBe(true);
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
      await sleep(wait);
      await claimToken(store, key);
    });

    it('keeps a completed key with the default retention', async () => {
      const store = await make();
      const key = freshKey('default-retain');
      const token = await claimToken(store, key, lease);
      expect(await store.complete(key, token)).toBe(true);
      await sleep(wait);
      expect(await store.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
    });

    it(`lets exactly one of ${n} concurrent claims of one key win`, async () => {
      const store = await make();
      const key = freshKey('race');
      const results = await Promise.all(Array.from({ length: n }, () => store.claim(key, { leaseMs: LONG_LEASE })));
      expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'in_progress')).toHaveLength(n - 1);
    });

    it(`lets exactly one of ${n} concurrent claims of an expired key win`, async () => {
      const store = await make();
      const key = freshKey('race-expired');
      await claimToken(store, key, lease);
      await sleep(wait);
      const results = await Promise.all(Array.from({ length: n }, () => store.claim(key, { leaseMs: LONG_LEASE })));
      expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    });

    it(`lets exactly one of ${n} concurrent claims of a released key win, the others seeing in_progress`, async () => {
      const store = await make();
      const key = freshKey('race-released');
      const token = await claimToken(store, key);
      await store.release(key, token);
      const results = await Promise.all(Array.from({ length: n }, () => store.claim(key, { leaseMs: LONG_LEASE })));
      expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'in_progress')).toHaveLength(n - 1);
    });

    it('answers duplicate to every concurrent claim of a completed key', async () => {
      const store = await make();
      const key = freshKey('race-done');
      await store.complete(key, await claimToken(store, key));
      const results = await Promise.all(Array.from({ length: n }, () => store.claim(key, { leaseMs: LONG_LEASE })));
      expect(results.every((r) => r.status === 'duplicate')).toBe(true);
    });

    it('lets exactly one of many concurrent completes with the same token succeed', async () => {
      const store = await make();
      const key = freshKey('race-complete');
      const token = await claimToken(store, key);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.complete(key, token)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps distinct keys independent', async () => {
      const store = await make();
      const a = freshKey('a');
      const b = freshKey('b');
      const ta = await claimToken(store, a);
      const tb = await claimToken(store, b);
      expect(await store.complete(a, ta)).toBe(true);
      expect(await store.claim(b, { leaseMs: LONG_LEASE })).toEqual({ status: 'in_progress' });
      await store.release(b, tb);
      await claimToken(store, b);
      expect(await store.complete(b, ta)).toBe(false);
      expect(await store.claim(a, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
    });

    it('treats keys that differ only in case, whitespace or separators as distinct', async () => {
      const store = await make();
      const base = freshKey('Case');
      for (const key of [base, base.toLowerCase(), `${base} `, `${base}:x`, `${base}\u00e9`])
        await claimToken(store, key);
    });

    it('isolates namespaces', async () => {
      const tenantA = await make({ namespace: 'tenant_a' });
      const tenantB = await make({ namespace: 'tenant_b' });
      const plain = await make();
      const key = freshKey('ns');
      const token = await claimToken(tenantA, key);
      expect(await tenantA.complete(key, token)).toBe(true);
      expect(await tenantA.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
      const tb = await claimToken(tenantB, key);
      await claimToken(plain, key);
      // A token from one namespace means nothing in another.
      expect(await tenantA.complete(key, tb)).toBe(false);
      expect(await tenantB.complete(key, tb)).toBe(true);
    });

    it.runIf(shared)('shares state between two store instances over the same backend', async () => {
      const one = await make();
      const two = await make();
      const key = freshKey('shared');
      const token = await claimToken(one, key);
      expect(await two.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'in_progress' });
      expect(await two.complete(key, token)).toBe(true);
      expect(await one.claim(key, { leaseMs: LONG_LEASE })).toEqual({ status: 'duplicate' });
      const sameNs = await make({ namespace: 'tenant_a' });
      const sameNs2 = await make({ namespace: 'tenant_a' });
      const key2 = freshKey('shared-ns');
      await claimToken(sameNs, key2);
      expect(await sameNs2.claim(key2, { leaseMs: LONG_LEASE })).toEqual({ status: 'in_progress' });
    });

    it.runIf(shared)(`lets exactly one of ${n} concurrent claims spread over two store instances win`, async () => {
      const stores = [await make(), await make()];
      const key = freshKey('race-instances');
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => stores[i % 2]!.claim(key, { leaseMs: LONG_LEASE })),
      );
      expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    });

    it('rejects an invalid lease', async () => {
      const store = await make();
      const key = freshKey('bad-lease');
      for (const leaseMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.claim(key, { leaseMs })).rejects.toThrow();
      }
      await claimToken(store, key);
    });

    it('reports record states through get() when the store has it', async (ctx) => {
      const store = await make();
      if (!store.get) {
        console.warn(
          `[workos-events] compliance suite "${name}": the store has no get(), so its record states are not checked`,
        );
        ctx.skip();
        return;
      }
      const key = freshKey('get');
      expect(await store.get(key)).toBeUndefined();
      const before = Date.now();
      const token = await claimToken(store, key, lease);
      const live = await store.get(key);
      expect(live).toMatchObject({ key, status: 'in_progress' });
      // Stores on a database clock may differ slightly from ours: allow a generous margin.
      expect(live!.expiresAt).toBeGreaterThan(before - 1_000);
      expect(live!.expiresAt).toBeLessThan(Date.now() + lease + 1_000);
      await sleep(wait);
      const stale = await store.get(key);
      if (stale !== undefined) expect(stale.status).toBe('expired');
      const token2 = await claimToken(store, key);
      expect(token2).not.toBe(token);
      expect(await store.complete(key, token2, { retainMs: LONG_LEASE })).toBe(true);
      const done = await store.get(key);
      expect(done).toMatchObject({ key, status: 'completed' });
      expect(done!.expiresAt).toBeGreaterThan(Date.now() + LONG_LEASE - 5_000);
      const key2 = freshKey('get-released');
      await store.release(key2, await claimToken(store, key2));
      expect(await store.get(key2)).toBeUndefined();
    });
  });
}
