/**
 * The runner-agnostic compliance suite (`describeIdempotencyStore` from `workos-events/testing`), driven by a bare
 * `{ describe, it }` runner that only records and runs the checks, as Jest, node:test or mocha would. It proves the
 * suite needs nothing else from the runner (its assertions are node:assert), that a correct store passes, and that
 * each classic store bug fails exactly the checks written for it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { ClaimResult, IdempotencyStore } from '../../src/idempotency/types.js';
import { MemoryIdempotencyStore } from '../../src/index.js';
import {
  type ComplianceTestBody,
  type DescribeIdempotencyStoreOptions,
  describeIdempotencyStore,
  type IdempotencyStoreFactory,
  type TestRunner,
} from '../../src/testing/index.js';

interface Registered {
  name: string;
  body: ComplianceTestBody;
  skipped: boolean;
}

/** A runner with only what the suite may use: nested describe/it, optional skip variants. */
function recordingRunner(withSkip = true) {
  const tests: Registered[] = [];
  const skippedSuites: string[] = [];
  const path: string[] = [];
  const describeFn = (name: string, body: () => void) => {
    path.push(name);
    body();
    path.pop();
  };
  const itFn = (name: string, body: ComplianceTestBody) => void tests.push({ name, body, skipped: false });
  const runner: TestRunner = {
    describe: Object.assign(describeFn, withSkip ? { skip: (name: string) => void skippedSuites.push(name) } : {}),
    it: Object.assign(
      itFn,
      withSkip
        ? { skip: (name: string, body: ComplianceTestBody) => void tests.push({ name, body, skipped: true }) }
        : {},
    ),
  };
  return { runner, tests, skippedSuites };
}

/** Registers the suite on a recording runner and runs every non-skipped check; returns the failures by name. */
async function runSuite(
  factory: IdempotencyStoreFactory,
  options: DescribeIdempotencyStoreOptions = {},
): Promise<{ passed: string[]; failed: Map<string, string> }> {
  const { runner, tests } = recordingRunner();
  describeIdempotencyStore('under test', factory, { shortLeaseMs: 40, concurrency: 20, ...options, runner });
  const passed: string[] = [];
  const failed = new Map<string, string>();
  for (const test of tests.filter((t) => !t.skipped)) {
    try {
      await test.body();
      passed.push(test.name);
    } catch (err) {
      failed.set(test.name, String((err as Error).message));
    }
  }
  return { passed, failed };
}

interface Bugs {
  /** Await between reading the row and writing the claim (check-then-set): concurrent claims all win. */
  checkThenSet?: boolean;
  /** complete/release ignore the token. */
  unfenced?: boolean;
  /** complete succeeds after the lease ended. */
  ignoresLeaseOnComplete?: boolean;
}

/** A small in-process store, correct unless told to have one of the bugs above. */
class SmallStore implements IdempotencyStore {
  readonly #rows = new Map<string, { token: string; done: boolean; until: number }>();
  constructor(readonly bugs: Bugs = {}) {}

  async claim(key: string, { leaseMs }: { leaseMs: number }): Promise<ClaimResult> {
    if (!(leaseMs > 0) || !Number.isFinite(leaseMs)) throw new RangeError('leaseMs must be a positive finite number');
    const row = this.#rows.get(key);
    if (row && row.until > Date.now()) return { status: row.done ? 'duplicate' : 'in_progress' };
    if (this.bugs.checkThenSet) await new Promise((resolve) => setImmediate(resolve));
    const token = randomUUID();
    this.#rows.set(key, { token, done: false, until: Date.now() + leaseMs });
    return { status: 'claimed', token };
  }

  async complete(key: string, token: string, opts?: { retainMs?: number }): Promise<boolean> {
    const row = this.#rows.get(key);
    if (!row || row.done) return false;
    if (!this.bugs.unfenced && row.token !== token) return false;
    if (!this.bugs.ignoresLeaseOnComplete && row.until <= Date.now()) return false;
    row.done = true;
    row.until = Date.now() + (opts?.retainMs ?? 30 * 86_400_000);
    return true;
  }

  async release(key: string, token: string): Promise<boolean> {
    const row = this.#rows.get(key);
    if (!row || row.done || row.until <= Date.now()) return false;
    if (!this.bugs.unfenced && row.token !== token) return false;
    this.#rows.delete(key);
    return true;
  }
}

// Each store instance has its own rows, so namespaces are isolated and instances share nothing.
const small = (bugs: Bugs) => () => new SmallStore(bugs);

describe('describeIdempotencyStore with a bare { describe, it } runner', () => {
  it('a correct store passes every check (and MemoryIdempotencyStore too, with its get())', async () => {
    const correct = await runSuite(small({}), { sharedBackend: false });
    expect([...correct.failed]).toEqual([]);
    expect(correct.passed.length).toBeGreaterThanOrEqual(20);
    const memory = await runSuite(({ namespace }) => new MemoryIdempotencyStore({ namespace }), {
      sharedBackend: false,
    });
    expect([...memory.failed]).toEqual([]);
    expect(memory.passed).toContain('reports record states through get() when the store has it');
  }, 60_000);

  it('a check-then-set claim fails exactly the concurrency checks, with counts in the message', async () => {
    const { failed } = await runSuite(small({ checkThenSet: true }), { sharedBackend: false });
    expect([...failed.keys()].sort()).toEqual([
      'lets exactly one of 20 concurrent claims of a released key win, the others seeing in_progress',
      'lets exactly one of 20 concurrent claims of an expired key win',
      'lets exactly one of 20 concurrent claims of one key win',
    ]);
    expect(failed.get('lets exactly one of 20 concurrent claims of one key win')).toMatch(
      /^claimed answers among 20 concurrent claims: got ([2-9]|1\d|20), expected 1\b/,
    );
  }, 60_000);

  it('an unfenced complete/release fails the token checks', async () => {
    const { failed } = await runSuite(small({ unfenced: true }), { sharedBackend: false });
    expect([...failed.keys()]).toEqual(
      expect.arrayContaining([
        'fences a stale token: complete → false and release → no-op once another worker re-claimed',
        'refuses complete and release with a wrong token while the lease is live',
      ]),
    );
    expect(failed.get('refuses complete and release with a wrong token while the lease is live')).toMatch(
      /^complete with a wrong token: got true, expected false\b/,
    );
  }, 60_000);

  it('a complete that ignores the lease fails the late-complete check', async () => {
    const { failed } = await runSuite(small({ ignoresLeaseOnComplete: true }), { sharedBackend: false });
    expect([...failed.keys()]).toEqual([
      'refuses complete after the lease expired even if nobody re-claimed, and the key stays claimable',
    ]);
  }, 60_000);

  it('a store whose instances do not share state fails the shared-backend checks unless sharedBackend is false', async () => {
    const { failed } = await runSuite(small({}));
    expect([...failed.keys()].sort()).toEqual([
      'lets exactly one of 20 concurrent claims spread over two store instances win',
      'shares state between two store instances over the same backend',
    ]);
  }, 60_000);

  it('without a runner it throws a TypeError that points vitest users to workos-events/testing/vitest', () => {
    const call = () => describeIdempotencyStore('x', small({}), undefined as never);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(/workos-events\/testing\/vitest/);
    expect(() => describeIdempotencyStore('x', small({}), { runner: { describe: () => {} } as never })).toThrow(
      /runner: \{ describe, it \}/,
    );
  });

  it('skips visibly: describe.skip when the runner has it, a warning in every case', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const withSkip = recordingRunner(true);
      describeIdempotencyStore('S', small({}), { runner: withSkip.runner, skip: 'no service' });
      expect(withSkip.skippedSuites).toEqual(['IdempotencyStore compliance: S (skipped: no service)']);
      expect(withSkip.tests).toEqual([]);
      const bare = recordingRunner(false);
      describeIdempotencyStore('S', small({}), { runner: bare.runner, skip: 'no service' });
      expect(bare.tests).toEqual([]);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(String(warn.mock.calls[0]![0])).toMatch(/skipping idempotency store compliance suite "S": no service/);
    } finally {
      warn.mockRestore();
    }
  });

  it('registers the shared-backend checks as skipped (it.skip) or not at all when the runner has no it.skip', () => {
    const withSkip = recordingRunner(true);
    describeIdempotencyStore('S', small({}), { runner: withSkip.runner, sharedBackend: false });
    expect(withSkip.tests.filter((t) => t.skipped).map((t) => t.name)).toEqual([
      'shares state between two store instances over the same backend (skipped: sharedBackend is false)',
      'lets exactly one of 100 concurrent claims spread over two store instances win (skipped: sharedBackend is false)',
    ]);
    const bare = recordingRunner(false);
    describeIdempotencyStore('S', small({}), { runner: bare.runner, sharedBackend: false });
    expect(bare.tests).toHaveLength(withSkip.tests.length - 2);
  });

  it("marks the get() check skipped through the runner's test context (node:test's t.skip, vitest's ctx.skip)", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { runner, tests } = recordingRunner();
      describeIdempotencyStore('no get', small({}), { runner, sharedBackend: false });
      const getCheck = tests.find((t) => t.name === 'reports record states through get() when the store has it')!;
      const skip = vi.fn();
      await getCheck.body({ skip });
      expect(skip).toHaveBeenCalledWith('the store has no get(), so its record states are not checked');
      // Jest passes no context: the check warns and ends.
      await getCheck.body();
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });
});
