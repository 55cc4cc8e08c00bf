import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETAIN_MS } from '../../src/adapter-kit.js';
import { MemoryIdempotencyStore } from '../../src/index.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function claimToken(store: MemoryIdempotencyStore, key: string, leaseMs = 1_000): Promise<string> {
  const c = await store.claim(key, { leaseMs });
  if (c.status !== 'claimed') throw new Error(`expected claimed, got ${c.status}`);
  return c.token;
}

describe('MemoryIdempotencyStore', () => {
  it('follows an injected clock for leases and retention (no sleeping)', async () => {
    const t = clock();
    const store = new MemoryIdempotencyStore({ now: t.now });
    const token = await claimToken(store, 'e1', 1_000);
    t.advance(999);
    expect(await store.claim('e1', { leaseMs: 1_000 })).toEqual({ status: 'in_progress' });
    t.advance(1);
    expect(await store.get('e1')).toMatchObject({ status: 'expired', expiresAt: 1_001_000 });
    expect(await store.complete('e1', token)).toBe(false);
    const token2 = await claimToken(store, 'e1');
    expect(await store.complete('e1', token2, { retainMs: 5_000 })).toBe(true);
    t.advance(4_999);
    expect(await store.claim('e1', { leaseMs: 1 })).toEqual({ status: 'duplicate' });
    t.advance(1);
    await claimToken(store, 'e1');
  });

  it('retains completed keys for 30 days by default', async () => {
    const t = clock();
    const store = new MemoryIdempotencyStore({ now: t.now });
    await store.complete('e', await claimToken(store, 'e'));
    expect((await store.get('e'))?.expiresAt).toBe(t.now() + DEFAULT_RETAIN_MS);
    t.advance(DEFAULT_RETAIN_MS - 1);
    expect(await store.claim('e', { leaseMs: 1 })).toEqual({ status: 'duplicate' });
    t.advance(1);
    expect(await store.get('e')).toBeUndefined();
  });

  it('stays within maxEntries by evicting the least recently used completed keys', async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) await store.complete(k, await claimToken(store, k));
    // Touch `a`: now `b` is the least recently used.
    expect(await store.claim('a', { leaseMs: 1 })).toEqual({ status: 'duplicate' });
    await store.complete('d', await claimToken(store, 'd'));
    expect(store.size).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.claim('a', { leaseMs: 1 })).toEqual({ status: 'duplicate' });
    expect(await store.claim('c', { leaseMs: 1 })).toEqual({ status: 'duplicate' });
  });

  it('never evicts a live lease, even past the bound', async () => {
    const store = new MemoryIdempotencyStore({ maxEntries: 2 });
    const tokens = [await claimToken(store, 'x'), await claimToken(store, 'y'), await claimToken(store, 'z')];
    expect(store.size).toBe(3);
    for (const k of ['x', 'y', 'z']) expect(await store.claim(k, { leaseMs: 1 })).toEqual({ status: 'in_progress' });
    expect(await store.complete('x', tokens[0]!)).toBe(true);
  });

  it('drops expired entries before live completed ones when full', async () => {
    const t = clock();
    const store = new MemoryIdempotencyStore({ maxEntries: 2, now: t.now });
    // `keep` is the least recently used, but `old` has expired: `old` goes.
    await store.complete('keep', await claimToken(store, 'keep'));
    await store.complete('old', await claimToken(store, 'old'), { retainMs: 10 });
    t.advance(11);
    await claimToken(store, 'new');
    expect(store.size).toBe(2);
    expect(await store.claim('keep', { leaseMs: 1 })).toEqual({ status: 'duplicate' });
  });

  it('keeps at most maxEntries keys under any sequence of operations (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.constantFrom('claim', 'complete', 'release', 'tick'), fc.integer({ min: 0, max: 15 })), {
          maxLength: 120,
        }),
        async (max, ops) => {
          const t = clock();
          const store = new MemoryIdempotencyStore({ maxEntries: max, now: t.now });
          const tokens = new Map<string, string>();
          const live = () => [...tokens.keys()].length;
          for (const [op, n] of ops) {
            const key = `k${n}`;
            if (op === 'tick') t.advance(n * 10);
            else if (op === 'claim') {
              const c = await store.claim(key, { leaseMs: 50 });
              if (c.status === 'claimed') tokens.set(key, c.token);
              // Claims are what grow the store: after one, it is over the bound only by leases we may still hold.
              // (Between claims an ended lease lingers until the next claim: expiry is lazy, no timers.)
              expect(store.size).toBeLessThanOrEqual(Math.max(max, live()));
            } else {
              const token = tokens.get(key);
              if (token === undefined) continue;
              tokens.delete(key);
              if (op === 'complete') await store.complete(key, token, { retainMs: 100 });
              else await store.release(key, token);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('isolates namespaces only per instance option and rejects bad options', () => {
    expect(() => new MemoryIdempotencyStore({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new MemoryIdempotencyStore({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => new MemoryIdempotencyStore({ namespace: 'a\0b' })).toThrow(TypeError);
  });

  it('rejects bad keys, tokens and durations with typed errors', async () => {
    const store = new MemoryIdempotencyStore();
    await expect(store.claim('', { leaseMs: 1 })).rejects.toThrow(TypeError);
    await expect(store.claim('k', { leaseMs: 0 })).rejects.toThrow(RangeError);
    await expect(store.complete('k', 'x', { retainMs: -1 })).rejects.toThrow(RangeError);
    await expect(store.release('k', 1 as unknown as string)).rejects.toThrow(TypeError);
  });

  it('holds no timer: a process using it exits by itself', async () => {
    const { spawnSync } = await import('node:child_process');
    const code = `import { MemoryIdempotencyStore } from './src/idempotency/memory-store.ts';
      const s = new MemoryIdempotencyStore();
      const c = await s.claim('e', { leaseMs: 3_600_000 });
      await s.complete('e', c.token);`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: new URL('../..', import.meta.url),
      timeout: 20_000,
    });
    expect(result.status).toBe(0);
  });
});
