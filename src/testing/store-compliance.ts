import assert from 'node:assert/strict';
import type { ClaimResult, IdempotencyStore } from '../idempotency/types.js';

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
 * A test body as the suite registers it. It declares no parameters (so Jest and node:test do not treat it as a
 * callback-style test) and reads the runner's test context, when there is one, from its first argument.
 *
 * @example
 * ```ts
 * const body: ComplianceTestBody = async (...context) => console.log(context.length);
 * ```
 */
export type ComplianceTestBody = (...context: unknown[]) => Promise<void>;

/**
 * The two functions of a test runner the compliance suite needs. vitest, Jest (globals or `@jest/globals`),
 * `node:test` and mocha all provide them under these names; their `skip` variants, when present, make a skipped
 * suite or check show up as skipped in the report.
 *
 * @example
 * ```ts
 * import { describe, it } from 'node:test';
 * const runner: TestRunner = { describe, it };
 * ```
 */
export interface TestRunner {
  /** Registers a group of tests. */
  describe: ((name: string, body: () => void) => unknown) & {
    skip?: (name: string, body: () => void) => unknown;
  };
  /** Registers one test; the suite's bodies return promises. */
  it: ((name: string, body: ComplianceTestBody) => unknown) & {
    skip?: (name: string, body: ComplianceTestBody) => unknown;
  };
}

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

/**
 * Options of the runner-agnostic {@link describeIdempotencyStore} from `workos-events/testing`: the usual options
 * plus your test runner's `describe` and `it`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'node:test';
 * const options: DescribeIdempotencyStoreWithRunnerOptions = { runner: { describe, it }, sharedBackend: false };
 * ```
 */
export interface DescribeIdempotencyStoreWithRunnerOptions extends DescribeIdempotencyStoreOptions {
  /** `describe` and `it` of the runner that should run the checks. */
  runner: TestRunner;
}

const LONG_LEASE = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freshKey(label: string): string {
  return `event_${label}_${globalThis.crypto.randomUUID()}`;
}

const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

/** Strict equality whose failure message says what was checked, what came back and what was expected. */
function same<T>(actual: unknown, expected: T, what: string): asserts actual is T {
  assert.equal(actual, expected, `${what}: got ${show(actual)}, expected ${show(expected)}`);
}

function expectStatus(result: ClaimResult, status: 'in_progress' | 'duplicate', what: string): void {
  same(result?.status, status, `${what}: claim answered ${show(result)}`);
  same((result as { token?: unknown }).token, undefined, `${what}: a ${status} answer carries no token`);
}

function count(results: ClaimResult[], status: ClaimResult['status']): number {
  return results.filter((r) => r?.status === status).length;
}

function expectReleased(released: unknown, expected: boolean, what: string): void {
  // `release` may resolve void (stores written against Promise<void>); a boolean must be the right one.
  if (typeof released === 'boolean') same(released, expected, what);
}

/**
 * The idempotency-store compliance suite, for any test runner: pass its `describe` and `it` as `runner`
 * (with vitest, `describeIdempotencyStore` from `workos-events/testing/vitest` does that for you). Assertions use
 * `node:assert`, so the suite needs nothing from the runner beyond registering tests.
 *
 * It checks the whole {@link IdempotencyStore} contract: claim / in_progress / duplicate, lease expiry and
 * re-claim, fencing (a stale token changes nothing), release, retention, exactly one winner among concurrent
 * claims (also of an expired key, and across store instances), independent keys and isolated namespaces, and
 * `get` when the store has it. Every store shipped with workos-events runs it; run it on your own store too.
 *
 * @example
 * ```ts
 * // test/my-store.test.ts, run with `node --test` (Jest: use its global describe/it instead)
 * import { describe, it } from 'node:test';
 * import { describeIdempotencyStore } from 'workos-events/testing';
 * import { MyStore } from '../src/my-store.js';
 *
 * describeIdempotencyStore('MyStore', ({ namespace }) => new MyStore({ url: process.env.MY_URL, namespace }), {
 *   runner: { describe, it },
 * });
 * ```
 */
export function describeIdempotencyStore(
  name: string,
  factory: IdempotencyStoreFactory,
  options: DescribeIdempotencyStoreWithRunnerOptions,
): void {
  const runner = options?.runner;
  if (typeof runner?.describe !== 'function' || typeof runner?.it !== 'function') {
    throw new TypeError(
      "describeIdempotencyStore from 'workos-events/testing' needs { runner: { describe, it } } from your test " +
        "runner (Jest, node:test, mocha); with vitest, import it from 'workos-events/testing/vitest'.",
    );
  }
  if (typeof factory !== 'function') throw new TypeError('describeIdempotencyStore needs a store factory function.');
  const { describe, it } = runner;
  const lease = options.shortLeaseMs ?? 150;
  const wait = lease * 2 + 50;
  const n = options.concurrency ?? 100;
  const shared = options.sharedBackend ?? true;

  if (options.skip) {
    console.warn(`[workos-events] skipping idempotency store compliance suite "${name}": ${options.skip}`);
    describe.skip?.(`IdempotencyStore compliance: ${name} (skipped: ${options.skip})`, () => {
      it('runs the contract checks', async () => {});
    });
    return;
  }

  describe(`IdempotencyStore compliance: ${name}`, () => {
    type Make = (context?: IdempotencyStoreFactoryContext) => Promise<IdempotencyStore>;
    // Every store a check opens is closed when the check ends, passed or failed (no afterEach: not every runner
    // scopes hooks the same way).
    const check = (title: string, body: (make: Make, context: unknown) => Promise<void>, register = it) =>
      register(title, async (...context: unknown[]) => {
        const opened: IdempotencyStore[] = [];
        const make: Make = async (ctx = {}) => {
          const store = await factory(ctx);
          opened.push(store);
          return store;
        };
        try {
          await body(make, context[0]);
        } finally {
          await Promise.all(opened.map((s) => s.close?.()));
        }
      });
    const sharedOnly = (title: string, body: (make: Make) => Promise<void>) => {
      if (shared) check(title, body);
      else if (it.skip) check(`${title} (skipped: sharedBackend is false)`, body, it.skip);
    };

    async function claimToken(store: IdempotencyStore, key: string, leaseMs = LONG_LEASE): Promise<string> {
      const result = await store.claim(key, { leaseMs });
      same(result?.status, 'claimed', `claim of a claimable key answered ${show(result)}`);
      const token = (result as { token?: unknown }).token;
      assert.ok(typeof token === 'string' && token.length > 0, 'a claimed answer carries a non-empty string token');
      return token;
    }
    const claim = (store: IdempotencyStore, key: string) => store.claim(key, { leaseMs: LONG_LEASE });

    check('claims a fresh key, then answers in_progress while the lease is live', async (make) => {
      const store = await make();
      const key = freshKey('fresh');
      await claimToken(store, key);
      expectStatus(await claim(store, key), 'in_progress', 'second claim during a live lease');
    });

    check('answers duplicate after complete, and a second complete changes nothing', async (make) => {
      const store = await make();
      const key = freshKey('dup');
      const token = await claimToken(store, key);
      same(await store.complete(key, token), true, 'complete with the live token');
      expectStatus(await claim(store, key), 'duplicate', 'claim after complete');
      same(await store.complete(key, token), false, 'a second complete');
      expectReleased(await store.release(key, token), false, 'release after complete');
      expectStatus(await claim(store, key), 'duplicate', 'claim after a release of a completed key');
    });

    check('gives every claim a different token', async (make) => {
      const store = await make();
      const tokens = new Set<string>();
      for (let i = 0; i < 20; i++) tokens.add(await claimToken(store, freshKey('tok')));
      same(tokens.size, 20, 'distinct tokens for 20 claims');
    });

    check('makes a key claimable again once its lease expires (crash recovery), with a new token', async (make) => {
      const store = await make();
      const key = freshKey('expiry');
      const first = await claimToken(store, key, lease);
      await sleep(wait);
      const second = await claimToken(store, key);
      assert.notEqual(second, first, 'the re-claim reuses the expired claim token');
    });

    check('fences a stale token: complete → false and release → no-op once another worker re-claimed', async (make) => {
      const store = await make();
      const key = freshKey('fence');
      const stale = await claimToken(store, key, lease);
      await sleep(wait);
      const fresh = await claimToken(store, key);
      same(await store.complete(key, stale), false, 'complete with a stale token');
      expectReleased(await store.release(key, stale), false, 'release with a stale token');
      // The new owner's lease is untouched.
      expectStatus(await claim(store, key), 'in_progress', "claim during the new owner's lease");
      same(await store.complete(key, fresh), true, "complete with the new owner's token");
      expectStatus(await claim(store, key), 'duplicate', 'claim after complete');
    });

    check(
      'refuses complete after the lease expired even if nobody re-claimed, and the key stays claimable',
      async (make) => {
        const store = await make();
        const key = freshKey('late');
        const token = await claimToken(store, key, lease);
        await sleep(wait);
        same(await store.complete(key, token), false, 'complete after the lease ended');
        await claimToken(store, key);
      },
    );

    check('refuses complete and release with a wrong token while the lease is live', async (make) => {
      const store = await make();
      const key = freshKey('wrong');
      const token = await claimToken(store, key);
      same(await store.complete(key, 'not-the-token'), false, 'complete with a wrong token');
      expectReleased(await store.release(key, 'not-the-token'), false, 'release with a wrong token');
      expectStatus(await claim(store, key), 'in_progress', 'claim after a wrong-token release');
      same(await store.complete(key, token), true, 'complete with the right token');
    });

    check('answers complete/release on an unknown key with false', async (make) => {
      const store = await make();
      const key = freshKey('unknown');
      same(await store.complete(key, 'whatever'), false, 'complete of an unknown key');
      expectReleased(await store.release(key, 'whatever'), false, 'release of an unknown key');
      await claimToken(store, key);
    });

    check('release lets a retry claim at once', async (make) => {
      const store = await make();
      const key = freshKey('release');
      const token = await claimToken(store, key);
      expectReleased(await store.release(key, token), true, 'release with the live token');
      const again = await claimToken(store, key);
      assert.notEqual(again, token, 'the re-claim reuses the released token');
    });

    check('forgets a completed key after its retention (retainMs) ends', async (make) => {
      const store = await make();
      const key = freshKey('retain');
      const token = await claimToken(store, key);
      same(await store.complete(key, token, { retainMs: lease }), true, 'complete with a short retention');
      expectStatus(await claim(store, key), 'duplicate', 'claim during the retention');
      await sleep(wait);
      await claimToken(store, key);
    });

    check('keeps a completed key with the default retention', async (make) => {
      const store = await make();
      const key = freshKey('default-retain');
      const token = await claimToken(store, key, lease);
      same(await store.complete(key, token), true, 'complete');
      await sleep(wait);
      expectStatus(await claim(store, key), 'duplicate', 'claim once the (short) lease would have ended');
    });

    check(`lets exactly one of ${n} concurrent claims of one key win`, async (make) => {
      const store = await make();
      const key = freshKey('race');
      const results = await Promise.all(Array.from({ length: n }, () => claim(store, key)));
      same(count(results, 'claimed'), 1, `claimed answers among ${n} concurrent claims`);
      same(count(results, 'in_progress'), n - 1, `in_progress answers among ${n} concurrent claims`);
    });

    check(`lets exactly one of ${n} concurrent claims of an expired key win`, async (make) => {
      const store = await make();
      const key = freshKey('race-expired');
      await claimToken(store, key, lease);
      await sleep(wait);
      const results = await Promise.all(Array.from({ length: n }, () => claim(store, key)));
      same(count(results, 'claimed'), 1, `claimed answers among ${n} concurrent claims of an expired key`);
    });

    check(
      `lets exactly one of ${n} concurrent claims of a released key win, the others seeing in_progress`,
      async (make) => {
        const store = await make();
        const key = freshKey('race-released');
        const token = await claimToken(store, key);
        await store.release(key, token);
        const results = await Promise.all(Array.from({ length: n }, () => claim(store, key)));
        same(count(results, 'claimed'), 1, `claimed answers among ${n} concurrent claims of a released key`);
        same(count(results, 'in_progress'), n - 1, `in_progress answers among ${n} concurrent claims`);
      },
    );

    check('answers duplicate to every concurrent claim of a completed key', async (make) => {
      const store = await make();
      const key = freshKey('race-done');
      await store.complete(key, await claimToken(store, key));
      const results = await Promise.all(Array.from({ length: n }, () => claim(store, key)));
      same(count(results, 'duplicate'), n, `duplicate answers among ${n} concurrent claims of a completed key`);
    });

    check('lets exactly one of many concurrent completes with the same token succeed', async (make) => {
      const store = await make();
      const key = freshKey('race-complete');
      const token = await claimToken(store, key);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.complete(key, token)));
      same(results.filter(Boolean).length, 1, 'successful completes among 20 concurrent ones');
    });

    check('keeps distinct keys independent', async (make) => {
      const store = await make();
      const a = freshKey('a');
      const b = freshKey('b');
      const ta = await claimToken(store, a);
      const tb = await claimToken(store, b);
      same(await store.complete(a, ta), true, 'complete of key a');
      expectStatus(await claim(store, b), 'in_progress', 'claim of key b after key a completed');
      await store.release(b, tb);
      await claimToken(store, b);
      same(await store.complete(b, ta), false, "complete of key b with key a's token");
      expectStatus(await claim(store, a), 'duplicate', 'claim of the completed key a');
    });

    check('treats keys that differ only in case, whitespace or separators as distinct', async (make) => {
      const store = await make();
      const base = freshKey('Case');
      for (const key of [base, base.toLowerCase(), `${base} `, `${base}:x`, `${base}\u00e9`])
        await claimToken(store, key);
    });

    check('isolates namespaces', async (make) => {
      const tenantA = await make({ namespace: 'tenant_a' });
      const tenantB = await make({ namespace: 'tenant_b' });
      const plain = await make();
      const key = freshKey('ns');
      const token = await claimToken(tenantA, key);
      same(await tenantA.complete(key, token), true, 'complete in namespace tenant_a');
      expectStatus(await claim(tenantA, key), 'duplicate', 'claim in namespace tenant_a after complete');
      const tb = await claimToken(tenantB, key);
      await claimToken(plain, key);
      // A token from one namespace means nothing in another.
      same(await tenantA.complete(key, tb), false, "complete in tenant_a with tenant_b's token");
      same(await tenantB.complete(key, tb), true, 'complete in tenant_b with its own token');
    });

    sharedOnly('shares state between two store instances over the same backend', async (make) => {
      const one = await make();
      const two = await make();
      const key = freshKey('shared');
      const token = await claimToken(one, key);
      expectStatus(await claim(two, key), 'in_progress', 'claim through a second instance');
      same(await two.complete(key, token), true, "complete through a second instance with the first's token");
      expectStatus(await claim(one, key), 'duplicate', 'claim through the first instance after complete');
      const sameNs = await make({ namespace: 'tenant_a' });
      const sameNs2 = await make({ namespace: 'tenant_a' });
      const key2 = freshKey('shared-ns');
      await claimToken(sameNs, key2);
      expectStatus(await claim(sameNs2, key2), 'in_progress', 'claim through a second instance of one namespace');
    });

    sharedOnly(`lets exactly one of ${n} concurrent claims spread over two store instances win`, async (make) => {
      const stores = [await make(), await make()];
      const key = freshKey('race-instances');
      const results = await Promise.all(Array.from({ length: n }, (_, i) => claim(stores[i % 2]!, key)));
      same(count(results, 'claimed'), 1, `claimed answers among ${n} concurrent claims on two instances`);
    });

    check('rejects an invalid lease', async (make) => {
      const store = await make();
      const key = freshKey('bad-lease');
      for (const leaseMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        await assert.rejects(store.claim(key, { leaseMs }), `claim with leaseMs ${leaseMs} must reject`);
      }
      await claimToken(store, key);
    });

    check('reports record states through get() when the store has it', async (make, context) => {
      const store = await make();
      if (!store.get) {
        const note = 'the store has no get(), so its record states are not checked';
        console.warn(`[workos-events] compliance suite "${name}": ${note}`);
        // vitest's context.skip() ends the test as skipped, node:test's t.skip() marks it; Jest has neither.
        (context as { skip?: (note?: string) => void } | undefined)?.skip?.(note);
        return;
      }
      const key = freshKey('get');
      same(await store.get(key), undefined, 'get of an unknown key');
      const before = Date.now();
      const token = await claimToken(store, key, lease);
      const live = await store.get(key);
      same(live?.key, key, 'get during the lease: key');
      same(live?.status, 'in_progress', 'get during the lease: status');
      // Stores on a database clock may differ slightly from ours: allow a generous margin.
      assert.ok(live.expiresAt > before - 1_000, `get during the lease: expiresAt ${live.expiresAt} is too early`);
      assert.ok(
        live.expiresAt < Date.now() + lease + 1_000,
        `get during the lease: expiresAt ${live.expiresAt} is too late`,
      );
      await sleep(wait);
      const stale = await store.get(key);
      if (stale !== undefined) same(stale.status, 'expired', 'get after the lease ended: status');
      const token2 = await claimToken(store, key);
      assert.notEqual(token2, token, 'the re-claim reuses the expired claim token');
      same(await store.complete(key, token2, { retainMs: LONG_LEASE }), true, 'complete');
      const done = await store.get(key);
      same(done?.key, key, 'get after complete: key');
      same(done?.status, 'completed', 'get after complete: status');
      assert.ok(
        done.expiresAt > Date.now() + LONG_LEASE - 5_000,
        `get after complete: expiresAt ${done.expiresAt} ignores retainMs`,
      );
      const key2 = freshKey('get-released');
      await store.release(key2, await claimToken(store, key2));
      same(await store.get(key2), undefined, 'get of a released key');
    });
  });
}
