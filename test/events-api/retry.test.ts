import { describe, expect, it } from 'vitest';
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from '../../src/events-api/retry.js';

const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000, onRetry: undefined };

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 2 ', 2000],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0], // in the past
  ])('%j → %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([[null], [undefined], [''], ['-5'], ['soon'], ['1e3'], ['12abc']])('%j → undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('a Retry-After longer than the backoff is waited, capped at maxRetryAfterMs', () => {
    expect(retryDelayMs(policy, 3, 2000, () => 0.5)).toBe(2000);
    expect(retryDelayMs(policy, 1, 60_000, () => 0.5)).toBe(5000);
  });

  it('the backoff is a floor: Retry-After 0 (or a past date, parsed as 0) still waits it', () => {
    // Before, `Retry-After: 0` meant no wait at all: a poller answered 429 + 0 retried back to back.
    expect(retryDelayMs(policy, 1, 0, () => 0.5)).toBe(50);
    expect(retryDelayMs(policy, 4, 0, () => 0.5)).toBe(400);
    expect(retryDelayMs(policy, 3, 10, () => 0.5)).toBe(200);
    expect(retryDelayMs(policy, 10, 1, () => 0.999)).toBe(999); // still capped at maxDelayMs
  });

  it('full jitter: random × min(maxDelay, base × 2^(attempt-1))', () => {
    expect(retryDelayMs(policy, 1, undefined, () => 0.999)).toBe(99);
    expect(retryDelayMs(policy, 2, undefined, () => 0.5)).toBe(100);
    expect(retryDelayMs(policy, 3, undefined, () => 0.5)).toBe(200);
    expect(retryDelayMs(policy, 10, undefined, () => 0.5)).toBe(500); // capped at maxDelayMs
    expect(retryDelayMs(policy, 10, undefined, () => 0)).toBe(0);
  });
});

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx only', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 422]) expect(isRetryableStatus(s)).toBe(false);
  });
});
