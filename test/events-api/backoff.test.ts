import { describe, expect, it } from 'vitest';
import { type FetchLike, listEvents, pollEvents } from '../../src/events-api/index.js';
import { ALL_TYPES, generate, ids, withFake } from './helpers.js';

// These tests count requests over a window instead of timing anything. Before the fix, a server answering
// "retry now" (or a page that never moves on) made the client ask again at once, in a loop that never gave timers a
// turn: tens of thousands of requests a second, and an abort timer that never fired.

/** Iterates `stream` until it throws; resolves with the error. */
async function runUntilError(stream: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of stream) {
      // nothing is expected to arrive
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Aborts after `ms` from a real timer, and records that the timer fired. */
function abortTimer(ms: number) {
  const controller = new AbortController();
  const state = { fired: false };
  setTimeout(() => {
    state.fired = true;
    controller.abort();
  }, ms);
  return { signal: controller.signal, state };
}

// Each retry waits a jittered 0–1000 ms: in a 250 ms window a correct client makes 1–2 requests (6 or more has a
// probability under 1e-5), while a client that honours "retry now" makes one per round trip.
const retry = { baseDelayMs: 1000, maxDelayMs: 1000 };
const WINDOW_MS = 250;
const MAX_REQUESTS = 5;

describe('backoff floor: Retry-After cannot make a poller spin', () => {
  it.each<[string, number | string]>([
    ['Retry-After: 0', 0],
    ['Retry-After: an HTTP date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT'],
  ])('429 with %s, again and again: requests stay few and the abort timer fires', async (_name, retryAfter) => {
    await withFake(
      5,
      async (api) => {
        const { signal, state } = abortTimer(WINDOW_MS);
        const error = await runUntilError(
          pollEvents({ events: ALL_TYPES, apiKey: api.apiKey, baseUrl: api.url, signal, retry }),
        );
        expect(error).toMatchObject({ name: 'AbortError' });
        expect(state.fired).toBe(true);
        expect(api.requests.every((r) => r.status === 429)).toBe(true);
        expect(api.requests.length).toBeGreaterThan(0);
        expect(api.requests.length).toBeLessThanOrEqual(MAX_REQUESTS);
      },
      { faults: { rate: 1, kinds: [{ type: 'rate_limit', retryAfter }] } },
    );
  });

  it('an instant fetch answering 429 + Retry-After: 0 still waits on a real timer between attempts', async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return new Response('Ratelimited', { status: 429, headers: { 'retry-after': '0' } });
    };
    const { signal, state } = abortTimer(WINDOW_MS);
    const error = await runUntilError(pollEvents({ events: ['user.created'], apiKey: 'sk', fetch, signal, retry }));
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(state.fired).toBe(true);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(MAX_REQUESTS);
  });
});

describe('a page that does not move the list on ends it (no request loop)', () => {
  it('listEvents: an empty page with a non-null after ends the list', async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return Response.json({ object: 'list', data: [], list_metadata: { after: 'event_01STUCK' } });
    };
    const got = [];
    for await (const e of listEvents({ events: ['user.created'], apiKey: 'sk', fetch })) got.push(e);
    expect(got).toEqual([]);
    expect(calls).toBe(1);
  });

  it('listEvents: an after that points back where we asked from ends the list', async () => {
    const all = [generate(0), generate(1)];
    const asked: (string | null)[] = [];
    const fetch: FetchLike = async (input) => {
      const after = new URL(input).searchParams.get('after');
      asked.push(after);
      // A server that includes the `after` item and hands the same cursor back.
      const data = after === null ? all : all.filter((e) => e.id === after);
      return Response.json({ object: 'list', data, list_metadata: { after: all[1]!.id } });
    };
    const got: string[] = [];
    for await (const e of listEvents({ events: ALL_TYPES, apiKey: 'sk', fetch })) got.push(e.id);
    expect(got).toEqual(ids(2));
    expect(asked).toEqual([null, all[1]!.id]);
  });

  it('pollEvents: an empty page waits intervalMs before asking again', async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      return Response.json({ object: 'list', data: [], list_metadata: { after: 'event_01STUCK' } });
    };
    const { signal, state } = abortTimer(200);
    const error = await runUntilError(
      pollEvents({ events: ['user.created'], apiKey: 'sk', fetch, signal, intervalMs: 40 }),
    );
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(state.fired).toBe(true);
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThanOrEqual(8); // 200 ms / 40 ms, plus the first request
  });
});
