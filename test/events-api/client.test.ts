import { describe, expect, it } from 'vitest';
import { eventsUrl } from '../../src/events-api/client.js';
import { listEvents, type RetryInfo, WorkOSApiError } from '../../src/events-api/index.js';
import { fastRetry, ids, withFake } from './helpers.js';

const drain = async (stream: AsyncIterable<{ id: string }>): Promise<string[]> => {
  const out: string[] = [];
  for await (const e of stream) out.push(e.id);
  return out;
};

describe('request format', () => {
  it('serializes events like the Node SDK (comma, percent-encoded) and always sends order=asc', () => {
    const url = eventsUrl('https://api.workos.com/', { events: ['a.b', 'c.d'], limit: 100 });
    expect(url).toBe('https://api.workos.com/events?events=a.b%2Cc.d&limit=100&order=asc');
    // What @workos-inc/node 11 produces for the same list (HttpClient.getQueryString → new URLSearchParams(obj)).
    expect(new URLSearchParams({ events: ['a.b', 'c.d'] } as unknown as Record<string, string>).toString()).toBe(
      'events=a.b%2Cc.d',
    );
    expect(eventsUrl('http://h', { events: ['a.b', 'c.d'], limit: 5 }, 'repeat')).toContain('events=a.b&events=c.d');
    expect(eventsUrl('http://h', { events: ['a.b'], limit: 5 }, 'brackets')).toContain('events%5B%5D=a.b');
  });

  it('sends Bearer auth, range_start on the first request only, then after', async () => {
    await withFake(250, async (api) => {
      const seen: Headers[] = [];
      const fetch = (input: string, init: RequestInit) => {
        seen.push(new Headers(init.headers));
        return globalThis.fetch(input, init);
      };
      const got = await drain(
        listEvents({
          events: ['user.created', 'organization.updated', 'dsync.user.created'],
          apiKey: api.apiKey,
          baseUrl: api.url,
          rangeStart: new Date('2026-01-01T00:00:00Z'),
          rangeEnd: '2026-01-02T00:00:00Z',
          limit: 20,
          fetch,
        }),
      );
      expect(got.length).toBe(126); // 3 of the 6 cycling types (i % 6 in 0..2)
      expect(seen.every((h) => h.get('authorization') === `Bearer ${api.apiKey}`)).toBe(true);
      const [first, ...rest] = api.requests.map((r) => r.query);
      expect(first?.get('range_start')).toBe('2026-01-01T00:00:00.000Z');
      expect(first?.get('after')).toBeNull();
      expect(rest.length).toBeGreaterThan(0);
      for (const q of rest) {
        expect(q.get('range_start')).toBeNull();
        expect(q.get('after')).toMatch(/^event_/);
        expect(q.get('range_end')).toBe('2026-01-02T00:00:00Z');
        expect(q.get('order')).toBe('asc');
        expect(q.get('limit')).toBe('20');
      }
    });
  });
});

describe('non-retryable errors', () => {
  it('401 on a bad key: WorkOSApiError with status, message and request id, no retry', async () => {
    await withFake(10, async (api) => {
      const err = await drain(listEvents({ events: ['user.created'], apiKey: 'sk_wrong', baseUrl: api.url })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkOSApiError);
      const e = err as WorkOSApiError;
      expect(e.status).toBe(401);
      expect(e.requestId).toBe('req_fake_000000');
      expect(e.message).toContain('Unauthorized');
      expect(e.message).not.toContain('sk_wrong');
      expect(api.requests.length).toBe(1);
    });
  });

  it.each([400, 403, 404, 422])('%d raises at once with the server message (custom fetch)', async (status) => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      return new Response(
        JSON.stringify({ message: `nope ${status}`, errors: [{ code: 'required', field: 'events' }] }),
        {
          status,
          headers: { 'x-request-id': 'req_abc' },
        },
      );
    };
    const err = (await drain(listEvents({ events: ['user.created'], apiKey: 'sk', fetch })).catch(
      (e: unknown) => e,
    )) as WorkOSApiError;
    expect(err).toBeInstanceOf(WorkOSApiError);
    expect(err.status).toBe(status);
    expect(err.requestId).toBe('req_abc');
    expect(err.message).toContain(`nope ${status}`);
    expect(err.message).toContain('events: required');
    expect(err.errors).toEqual([{ code: 'required', field: 'events' }]);
    expect(err.code).toBe('required');
    expect(calls).toBe(1);
  });

  it('422 from the fake when after and range_start are both sent (the fake enforces the API rule)', async () => {
    await withFake(5, async (api) => {
      const res = await fetch(`${api.url}/events?events=user.created&after=x&range_start=2026-01-01`, {
        headers: { authorization: `Bearer ${api.apiKey}` },
      });
      expect(res.status).toBe(422);
    });
  });

  it('tolerates a non-JSON error body', async () => {
    const fetch = async () => new Response('<html>Forbidden</html>', { status: 403 });
    const err = (await drain(listEvents({ events: ['user.created'], apiKey: 'sk', fetch })).catch(
      (e: unknown) => e,
    )) as WorkOSApiError;
    expect(err.status).toBe(403);
    expect(err.message).toContain('Forbidden');
    expect(err.requestId).toBeUndefined();
  });
});

describe('retries', () => {
  it.each([
    ['429 without Retry-After', { type: 'rate_limit' as const }],
    ['429 with a text body', { type: 'rate_limit' as const, body: 'text' as const }],
    ['500', { type: 'server_error' as const }],
    ['503', { type: 'server_error' as const, status: 503 }],
    ['connection reset', { type: 'reset' as const }],
    ['truncated JSON', { type: 'truncated' as const }],
  ])('%s is retried and the list completes', async (_name, fault) => {
    await withFake(
      30,
      async (api) => {
        const retries: RetryInfo[] = [];
        const got = await drain(
          listEvents({
            events: [
              'user.created',
              'dsync.user.created',
              'organization.updated',
              'dsync.user.updated',
              'connection.activated',
              'dsync.group.user_added',
            ],
            apiKey: api.apiKey,
            baseUrl: api.url,
            limit: 10,
            retry: { ...fastRetry, onRetry: (i) => retries.push(i) },
          }),
        );
        expect(got).toEqual(ids(30));
        expect(retries.length).toBe(2);
        expect(retries.map((r) => r.attempt)).toEqual([1, 1]);
        expect(api.requests.map((r) => r.fault)).toEqual([fault.type, undefined, fault.type, undefined, undefined]);
      },
      { faults: { schedule: [fault, null, fault] } },
    );
  });

  it('honours a Retry-After longer than the backoff (seconds, capped)', async () => {
    await withFake(
      5,
      async (api) => {
        const delays: number[] = [];
        const got = await drain(
          listEvents({
            events: ['user.created', 'dsync.user.created'],
            apiKey: api.apiKey,
            baseUrl: api.url,
            // A backoff under 1 ms: "0" waits just that (the floor), "3" seconds wait the Retry-After cap.
            retry: {
              baseDelayMs: 1,
              maxDelayMs: 1,
              maxRetryAfterMs: 40,
              onRetry: (i) => delays.push(i.delayMs),
            },
          }),
        );
        expect(got.length).toBe(2);
        expect(delays).toEqual([0, 40]); // "0" → the backoff; "3" seconds capped at maxRetryAfterMs
        const [a, b, c] = api.requests;
        expect((c?.at ?? 0) - (b?.at ?? 0)).toBeGreaterThanOrEqual(35);
        expect(a?.status).toBe(429);
      },
      {
        faults: {
          schedule: [
            { type: 'rate_limit', retryAfter: 0 },
            { type: 'rate_limit', retryAfter: 3 },
          ],
        },
      },
    );
  });

  it('honours an HTTP-date Retry-After', async () => {
    const delays: number[] = [];
    let calls = 0;
    const fetch = async () => {
      calls++;
      if (calls === 1) {
        return new Response('Ratelimited', {
          status: 429,
          headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() },
        });
      }
      return Response.json({ object: 'list', data: [], list_metadata: { after: null } });
    };
    await drain(
      listEvents({
        events: ['user.created'],
        apiKey: 'sk',
        fetch,
        retry: { baseDelayMs: 1, maxRetryAfterMs: 25, onRetry: (i) => delays.push(i.delayMs) },
      }),
    );
    expect(delays).toEqual([25]);
    expect(calls).toBe(2);
  });

  it('gives up after maxRetries with the last error (status, retryAfterMs)', async () => {
    await withFake(
      5,
      async (api) => {
        const err = (await drain(
          listEvents({
            events: ['user.created'],
            apiKey: api.apiKey,
            baseUrl: api.url,
            retry: { ...fastRetry, maxRetries: 2 },
          }),
        ).catch((e: unknown) => e)) as WorkOSApiError;
        expect(err).toBeInstanceOf(WorkOSApiError);
        expect(err.status).toBe(429);
        expect(err.retryAfterMs).toBe(0);
        expect(err.code).toBe('rate_limit_exceeded');
        expect(err.requestId).toBe('req_fake_000002');
        expect(api.requests.length).toBe(3);
      },
      { faults: { rate: 1, kinds: [{ type: 'rate_limit', retryAfter: 0 }] } },
    );
  });

  it('network errors end as code network_error after retries', async () => {
    const err = (await drain(
      listEvents({
        events: ['user.created'],
        apiKey: 'sk',
        baseUrl: 'http://127.0.0.1:9',
        retry: { ...fastRetry, maxRetries: 1 },
      }),
    ).catch((e: unknown) => e)) as WorkOSApiError;
    expect(err).toBeInstanceOf(WorkOSApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe('network_error');
  });
});

describe('timeouts', () => {
  it('a slow answer times out and is retried', async () => {
    await withFake(
      5,
      async (api) => {
        const errors: string[] = [];
        const got = await drain(
          listEvents({
            events: ['user.created', 'dsync.user.created'],
            apiKey: api.apiKey,
            baseUrl: api.url,
            timeoutMs: 50,
            retry: { ...fastRetry, onRetry: (i) => errors.push((i.error as WorkOSApiError).code ?? '') },
          }),
        );
        expect(got.length).toBe(2);
        expect(errors).toEqual(['timeout']);
      },
      { faults: { schedule: [{ type: 'slow', delayMs: 2_000 }] } },
    );
  });

  it('ends with code timeout when every attempt is too slow', async () => {
    await withFake(
      5,
      async (api) => {
        const err = (await drain(
          listEvents({
            events: ['user.created'],
            apiKey: api.apiKey,
            baseUrl: api.url,
            timeoutMs: 30,
            retry: { ...fastRetry, maxRetries: 1 },
          }),
        ).catch((e: unknown) => e)) as WorkOSApiError;
        expect(err.code).toBe('timeout');
        expect(err.status).toBe(0);
      },
      { latencyMs: 2_000 },
    );
  });
});
