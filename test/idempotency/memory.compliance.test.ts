import { describe, expect, it, vi } from 'vitest';
import { MemoryIdempotencyStore } from '../../src/index.js';
import { describeIdempotencyStore } from '../../src/testing/vitest.js';

describeIdempotencyStore('MemoryIdempotencyStore', ({ namespace }) => new MemoryIdempotencyStore({ namespace }), {
  sharedBackend: false,
});

// A store without the optional get(): the suite skips that check, and says so where a CI log shows it.
const warn = vi.spyOn(console, 'warn');
describeIdempotencyStore(
  'MemoryIdempotencyStore without get()',
  ({ namespace }) => {
    const inner = new MemoryIdempotencyStore({ namespace });
    return {
      claim: (key, opts) => inner.claim(key, opts),
      complete: (key, token, opts) => inner.complete(key, token, opts),
      release: (key, token) => inner.release(key, token),
    };
  },
  { sharedBackend: false, shortLeaseMs: 40 },
);

describe('compliance suite skips', () => {
  it('prints a visible message when it skips the get() check', () => {
    expect(warn.mock.calls.flat().join('\n')).toMatch(/MemoryIdempotencyStore without get\(\)".*no get\(\)/);
    warn.mockRestore();
  });
});
