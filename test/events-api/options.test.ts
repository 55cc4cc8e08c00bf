import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ListEventsOptions, listEvents, pollEvents } from '../../src/events-api/index.js';

const base: ListEventsOptions = { events: ['user.created'], apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:1' };

describe('option validation (at the call, before any request)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each<[string, Partial<ListEventsOptions> & Record<string, unknown>, RegExp]>([
    ['missing events', { events: undefined }, /`events` must be a non-empty array/],
    ['empty events', { events: [] }, /`events` must be a non-empty array/],
    ['blank event name', { events: [' '] }, /`events` entries/],
    ['comma in a name', { events: ['a.b,c.d'] }, /without commas/],
    ['limit 0', { limit: 0 }, /`limit` must be an integer from 1 to 100/],
    ['limit 101', { limit: 101 }, /`limit`/],
    ['limit 1.5', { limit: 1.5 }, /`limit`/],
    ['after + rangeStart', { after: 'event_1', rangeStart: new Date() }, /mutually exclusive/],
    ['bad rangeStart', { rangeStart: 'yesterday-ish' }, /`rangeStart` must be a Date or an ISO-8601 string/],
    ['invalid Date', { rangeEnd: new Date(Number.NaN) }, /`rangeEnd` is an invalid Date/],
    ['start after end', { rangeStart: '2026-02-01T00:00:00Z', rangeEnd: '2026-01-01T00:00:00Z' }, /after `rangeEnd`/],
    ['bad checkpoint', { checkpoint: 'batch' as 'page' }, /`checkpoint`/],
    ['bad encoding', { eventsEncoding: 'json' as 'comma' }, /`eventsEncoding`/],
    ['bad baseUrl', { baseUrl: 'not a url' }, /`baseUrl` is not a valid URL/],
    ['ftp baseUrl', { baseUrl: 'ftp://x' }, /http\(s\) URL/],
    ['bad store', { cursorStore: { load: async () => undefined } as never }, /`cursorStore`/],
    ['negative retries', { retry: { maxRetries: -1 } }, /`retry.maxRetries`/],
    ['zero timeout', { timeoutMs: 0 }, /`timeoutMs` must be positive/],
    // setTimeout fires after 1 ms for anything longer than 2^31 - 1 ms: a 30-day value would mean no wait at all.
    ['timeout beyond a timer', { timeoutMs: 30 * 86_400_000 }, /`timeoutMs` must be at most 2147483647 ms/],
    ['retry cap beyond a timer', { retry: { maxDelayMs: 2 ** 31 } }, /`retry.maxDelayMs` must be at most/],
    ['Retry-After cap beyond a timer', { retry: { maxRetryAfterMs: 2 ** 31 } }, /`retry.maxRetryAfterMs`/],
    ['first backoff beyond a timer', { retry: { baseDelayMs: 2 ** 31 } }, /`retry.baseDelayMs` must be at most/],
    // A zero backoff retries back to back (a 429 storm answered by more requests).
    ['zero first backoff', { retry: { baseDelayMs: 0 } }, /`retry.baseDelayMs` must be positive/],
    ['zero backoff cap', { retry: { maxDelayMs: 0 } }, /`retry.maxDelayMs` must be positive/],
    [
      'bad onInvalidEvent',
      { onInvalidEvent: 'drop' as 'skip' },
      /`onInvalidEvent` must be 'throw', 'skip' or a function/,
    ],
    ['empty after', { after: '' }, /`after` must be a non-empty event id/],
    ['bad signal', { signal: {} as AbortSignal }, /`signal` must be an AbortSignal/],
  ])('%s', (_name, patch, message) => {
    expect(() => listEvents({ ...base, ...patch } as ListEventsOptions)).toThrow(message);
  });

  it('names the function in the message and uses RangeError for ranges', () => {
    expect(() => pollEvents({ ...base, intervalMs: -1 })).toThrow(/^pollEvents: `intervalMs`/);
    expect(() => pollEvents({ ...base, intervalMs: 30 * 86_400_000 })).toThrow(/`intervalMs` must be at most/);
    expect(() => pollEvents({ ...base, intervalMs: 2 ** 31 - 1 })).not.toThrow();
    expect(() => pollEvents({ ...base, intervalMs: 0 })).toThrow(/`intervalMs` must be positive/); // polls back to back
    expect(() => listEvents({ ...base, limit: 500 })).toThrow(RangeError);
    expect(() => listEvents({ ...base, events: [] })).toThrow(TypeError);
  });

  it('needs an API key: option, workos instance or WORKOS_API_KEY', () => {
    vi.stubEnv('WORKOS_API_KEY', '');
    expect(() => listEvents({ events: ['user.created'] })).toThrow(/no API key/);
    vi.stubEnv('WORKOS_API_KEY', 'sk_test_env');
    expect(() => listEvents({ events: ['user.created'] })).not.toThrow();
  });

  it('reads key and baseURL from a WorkOS-like instance, with a clear error when it cannot', () => {
    expect(() =>
      listEvents({ events: ['user.created'], workos: { key: 'sk_1', baseURL: 'http://127.0.0.1:9' } }),
    ).not.toThrow();
    expect(() => listEvents({ events: ['user.created'], workos: { key: undefined } })).toThrow(
      /could not read an API key from the `workos` instance/,
    );
    expect(() => listEvents({ events: ['user.created'], workos: null as never })).toThrow(/WorkOS SDK instance/);
    expect(() => listEvents({ events: ['user.created'], workos: { key: 'sk', baseURL: 5 as never } })).toThrow(
      /`baseURL` that is not a string/,
    );
  });

  it('never puts the API key in an error message', () => {
    try {
      listEvents({ ...base, apiKey: 'sk_secret_value', limit: 0 });
    } catch (err) {
      expect(String(err)).not.toContain('sk_secret_value');
    }
    expect.assertions(1);
  });
});
