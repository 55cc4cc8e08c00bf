import { describe, expect, it } from 'vitest';
import { type FetchLike, listEvents, MemoryCursorStore, pollEvents } from '../../src/events-api/index.js';
import { createFakeWorkOSApi } from '../../src/testing/fake-api/index.js';
import { ALL_TYPES, fastRetry, generate, ids, withFake } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('listEvents: pagination and filters', () => {
  it('walks thousands of events across pages, oldest first, each exactly once', async () => {
    await withFake(5_000, async (api) => {
      const stream = listEvents({ events: ALL_TYPES, apiKey: api.apiKey, baseUrl: api.url });
      const got: string[] = [];
      for await (const e of stream) got.push(e.id);
      expect(got).toEqual(ids(5_000));
      expect(api.requests.length).toBe(50);
      expect(stream.cursor).toBe(generate(4_999).id);
    });
  });

  it('filters by type, organization and range on the server', async () => {
    await withFake(600, async (api) => {
      const org = (generate(0).data as { organization_id: string }).organization_id;
      const got = [];
      for await (const e of listEvents({
        events: ['dsync.user.created', 'dsync.user.updated'],
        organizationId: org,
        rangeStart: generate(100).created_at,
        rangeEnd: generate(399).created_at,
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 7,
      }))
        got.push(e);
      const expected = ids(300, 100).filter((_, k) => {
        const e = generate(100 + k);
        return (
          (e.event === 'dsync.user.created' || e.event === 'dsync.user.updated') &&
          (e.data as { organization_id?: string }).organization_id === org
        );
      });
      expect(expected.length).toBeGreaterThan(10);
      expect(got.map((e) => e.id)).toEqual(expected);
      expect(api.requests[0]?.query.get('organization_id')).toBe(org);
    });
  });

  it('never yields a type that was not asked for, even when the server ignores the filter', async () => {
    await withFake(
      120,
      async (api) => {
        const store = new MemoryCursorStore();
        const got = [];
        for await (const e of listEvents({
          events: ['user.created'],
          apiKey: api.apiKey,
          baseUrl: api.url,
          limit: 25,
          cursorStore: store,
        }))
          got.push(e);
        expect(got.map((e) => e.event)).toEqual(Array(20).fill('user.created'));
        expect(api.requests.reduce((n, r) => n + r.items, 0)).toBe(120); // the server did send everything
        expect(store.cursor).toBe(generate(119).id); // filtered-out items still move the cursor
      },
      { ignoreEventsFilter: true },
    );
  });

  it('skips the cursor event if a server includes the `after` item itself', async () => {
    const all = ids(6).map((id, i) => ({ ...generate(i), id }));
    const fetch: FetchLike = async (input) => {
      const after = new URL(input).searchParams.get('after');
      const from = after ? all.findIndex((e) => e.id === after) : 0; // includes the `after` item
      const data = all.slice(from, from + 3);
      const more = from + 3 < all.length;
      return Response.json({ object: 'list', data, list_metadata: { after: more ? data.at(-1)?.id : null } });
    };
    const got = [];
    for await (const e of listEvents({ events: ALL_TYPES, apiKey: 'sk', fetch })) got.push(e.id);
    expect(got).toEqual(ids(6));
  });

  it('prefetches the next page while the consumer works, never more than one page ahead', async () => {
    await withFake(
      40,
      async (api) => {
        const stream = listEvents({ events: ALL_TYPES, apiKey: api.apiKey, baseUrl: api.url, limit: 10 });
        let i = 0;
        for await (const _ of stream) {
          const page = Math.floor(i / 10);
          if (i % 10 === 0) {
            // While the consumer holds the first event of page p, the request for page p+1 goes out (and no other).
            const expected = Math.min(page + 2, 4);
            for (let waited = 0; api.requests.length < expected && waited < 2_000; waited += 10) await sleep(10);
            await sleep(50); // room for a wrongly issued extra request to show up
            expect(api.requests.length).toBe(expected);
          }
          expect(api.requests.length).toBeLessThanOrEqual(page + 2);
          i++;
        }
        expect(i).toBe(40);
      },
      { latencyMs: 20 },
    );
  });
});

describe('cursor semantics', () => {
  it('saves each finished event; break does not count the event in flight', async () => {
    await withFake(50, async (api) => {
      const store = new MemoryCursorStore();
      const saves: string[] = [];
      const cursorStore = { load: () => store.load(), save: async (c: string) => void saves.push(c) };
      const seen: string[] = [];
      for await (const e of listEvents({ events: ALL_TYPES, apiKey: api.apiKey, baseUrl: api.url, cursorStore })) {
        seen.push(e.id);
        if (seen.length === 5) break;
      }
      expect(saves).toEqual(ids(4)); // events 0..3 finished; 4 was in flight at break
    });
  });

  it('an exception in the loop body leaves the failed event unsaved, and a resume re-delivers only it', async () => {
    await withFake(30, async (api) => {
      const store = new MemoryCursorStore();
      const opts = { events: ALL_TYPES, apiKey: api.apiKey, baseUrl: api.url, cursorStore: store, limit: 4 };
      await expect(
        (async () => {
          let n = 0;
          for await (const _ of listEvents(opts)) if (++n === 7) throw new Error('handler failed');
        })(),
      ).rejects.toThrow('handler failed');
      expect(store.cursor).toBe(generate(5).id);
      const rest: string[] = [];
      for await (const e of listEvents(opts)) rest.push(e.id);
      expect(rest).toEqual(ids(24, 6));
    });
  });

  it("checkpoint: 'page' saves once per finished page and at the end", async () => {
    await withFake(25, async (api) => {
      const saves: string[] = [];
      const cursorStore = { load: async () => undefined, save: async (c: string) => void saves.push(c) };
      for await (const _ of listEvents({
        events: ALL_TYPES,
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 10,
        checkpoint: 'page',
        cursorStore,
      })) {
        // consume
      }
      expect(saves).toEqual([generate(9).id, generate(19).id, generate(24).id]);
    });
  });

  it('resumes from the stored cursor in preference to `after`', async () => {
    await withFake(20, async (api) => {
      const store = new MemoryCursorStore(generate(14).id);
      const got: string[] = [];
      for await (const e of listEvents({
        events: ALL_TYPES,
        apiKey: api.apiKey,
        baseUrl: api.url,
        cursorStore: store,
        after: generate(2).id,
      }))
        got.push(e.id);
      expect(got).toEqual(ids(5, 15));
      expect(api.requests[0]?.query.get('after')).toBe(generate(14).id);
    });
  });

  it('a stored cursor replaces rangeStart (after and range_start are never sent together)', async () => {
    await withFake(10, async (api) => {
      const store = new MemoryCursorStore(generate(7).id);
      const got: string[] = [];
      for await (const e of listEvents({
        events: ALL_TYPES,
        apiKey: api.apiKey,
        baseUrl: api.url,
        cursorStore: store,
        rangeStart: generate(0).created_at,
      }))
        got.push(e.id);
      expect(got).toEqual(ids(2, 8));
      expect(api.requests[0]?.query.get('range_start')).toBeNull();
    });
  });

  it('pages(): yields filtered pages; a page is saved when the next one is asked for', async () => {
    await withFake(30, async (api) => {
      const store = new MemoryCursorStore();
      const stream = listEvents({
        events: ['user.created'],
        apiKey: api.apiKey,
        baseUrl: api.url,
        cursorStore: store,
        limit: 2,
      });
      const pages = [];
      for await (const page of stream.pages()) {
        pages.push(page);
        if (pages.length === 2) break;
      }
      expect(pages.map((p) => p.data.map((e) => e.id))).toEqual([
        [generate(1).id, generate(7).id],
        [generate(13).id, generate(19).id],
      ]);
      expect(pages[0]?.cursor).toBe(generate(7).id);
      expect(pages[0]?.after).toBe(generate(7).id);
      expect(store.cursor).toBe(generate(7).id); // page 2 was in flight at break
    });
  });

  it('a strict-validation failure stops before the bad event and keeps the cursor before it', async () => {
    const good = [generate(0), generate(1)];
    const bad = { ...generate(2), data: 'not an object' };
    const api = await createFakeWorkOSApi({ events: [...good, bad as never, generate(3)] });
    try {
      const store = new MemoryCursorStore();
      const got: string[] = [];
      await expect(
        (async () => {
          for await (const e of listEvents({
            events: ALL_TYPES,
            apiKey: api.apiKey,
            baseUrl: api.url,
            cursorStore: store,
          }))
            got.push(e.id);
        })(),
      ).rejects.toMatchObject({ name: 'WorkOSEventParseError' });
      expect(got).toEqual(ids(2));
      expect(store.cursor).toBe(generate(1).id);
    } finally {
      await api.close();
    }
  });
});

describe('abort', () => {
  it('abort mid-page: the next step throws the reason, the cursor is the last finished event', async () => {
    await withFake(100, async (api) => {
      const controller = new AbortController();
      const store = new MemoryCursorStore();
      const seen: string[] = [];
      const err = await (async () => {
        for await (const e of listEvents({
          events: ALL_TYPES,
          apiKey: api.apiKey,
          baseUrl: api.url,
          cursorStore: store,
          signal: controller.signal,
          limit: 20,
        })) {
          seen.push(e.id);
          if (seen.length === 7) controller.abort(new Error('shutting down')); // while working on event 6
        }
      })().catch((e: unknown) => e);
      expect((err as Error).message).toBe('shutting down');
      expect(seen).toEqual(ids(7));
      expect(store.cursor).toBe(generate(6).id); // event 6 finished: the consumer asked for the next one
    });
  });

  it('aborts an in-flight request promptly', async () => {
    await withFake(
      10,
      async (api) => {
        const controller = new AbortController();
        const started = Date.now();
        setTimeout(() => controller.abort(), 50);
        const iterate = async () => {
          for await (const _ of listEvents({
            events: ALL_TYPES,
            apiKey: api.apiKey,
            baseUrl: api.url,
            signal: controller.signal,
          })) {
            // no event arrives before the abort
          }
        };
        await expect(iterate()).rejects.toMatchObject({ name: 'AbortError' });
        expect(Date.now() - started).toBeLessThan(2_000);
      },
      { latencyMs: 10_000 },
    );
  });

  it('aborts a retry wait promptly', async () => {
    await withFake(
      10,
      async (api) => {
        const controller = new AbortController();
        const started = Date.now();
        const iterate = async () => {
          for await (const _ of listEvents({
            events: ALL_TYPES,
            apiKey: api.apiKey,
            baseUrl: api.url,
            signal: controller.signal,
            retry: { onRetry: () => setTimeout(() => controller.abort(), 20), maxRetryAfterMs: 60_000 },
          })) {
            // the first request is answered with Retry-After: 30
          }
        };
        await expect(iterate()).rejects.toMatchObject({ name: 'AbortError' });
        expect(Date.now() - started).toBeLessThan(2_000);
      },
      { faults: { schedule: [{ type: 'rate_limit', retryAfter: 30 }] } },
    );
  });

  it('an already aborted signal stops before any request', async () => {
    await withFake(3, async (api) => {
      const iterate = async () => {
        for await (const _ of listEvents({
          events: ALL_TYPES,
          apiKey: api.apiKey,
          baseUrl: api.url,
          signal: AbortSignal.abort(),
        })) {
          // never
        }
      };
      await expect(iterate()).rejects.toMatchObject({ name: 'AbortError' });
      expect(api.requests.length).toBe(0);
    });
  });
});

describe('pollEvents', () => {
  it('tails: keeps polling with after=<last event> when the list ends, yields appended events', async () => {
    await withFake(15, async (api) => {
      const controller = new AbortController();
      const store = new MemoryCursorStore();
      const got: string[] = [];
      const iterate = (async () => {
        for await (const e of pollEvents({
          events: ALL_TYPES,
          apiKey: api.apiKey,
          baseUrl: api.url,
          intervalMs: 10,
          limit: 10,
          cursorStore: store,
          signal: controller.signal,
          retry: fastRetry,
        })) {
          got.push(e.id);
          if (got.length === 15) setTimeout(() => api.append(generate(15), generate(16)), 40);
          if (got.length === 17) controller.abort();
        }
      })();
      await expect(iterate).rejects.toMatchObject({ name: 'AbortError' });
      expect(got).toEqual(ids(17));
      expect(store.cursor).toBe(generate(16).id);
      const afterEnd = api.requests.slice(2).map((r) => r.query.get('after'));
      expect(afterEnd.length).toBeGreaterThan(1);
      // Once the list ended (list_metadata.after null), every poll asks after the last event seen.
      expect(afterEnd.every((a) => a === generate(14).id || a === generate(16).id)).toBe(true);
    });
  });

  it('starts from an empty list and keeps rangeStart until the first event arrives', async () => {
    const api = await createFakeWorkOSApi();
    try {
      const controller = new AbortController();
      const got: string[] = [];
      setTimeout(() => api.append(generate(0)), 50);
      await expect(
        (async () => {
          for await (const e of pollEvents({
            events: ALL_TYPES,
            apiKey: api.apiKey,
            baseUrl: api.url,
            rangeStart: '2025-12-31T00:00:00Z',
            intervalMs: 5,
            signal: controller.signal,
          })) {
            got.push(e.id);
            controller.abort();
          }
        })(),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(got).toEqual(ids(1));
      expect(api.requests.every((r) => r.query.get('range_start') === '2025-12-31T00:00:00Z')).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('keeps tailing through transient failures between polls (retries are unlimited by default)', async () => {
    await withFake(3, async (api) => {
      const controller = new AbortController();
      const got: string[] = [];
      let retries = 0;
      await expect(
        (async () => {
          for await (const e of pollEvents({
            events: ALL_TYPES,
            apiKey: api.apiKey,
            baseUrl: api.url,
            intervalMs: 5,
            signal: controller.signal,
            retry: { ...fastRetry, onRetry: () => retries++ },
          })) {
            got.push(e.id);
            if (got.length === 3) {
              // The next polls fail ten times in a row (more than listEvents' default of 5 retries), then an event arrives.
              api.injectFaults(...Array.from({ length: 10 }, () => ({ type: 'server_error' as const })));
              api.append(generate(3));
            }
            if (got.length === 4) controller.abort();
          }
        })(),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(got).toEqual(ids(4));
      expect(retries).toBe(10);
    });
  });

  it('abort interrupts the wait between polls', async () => {
    await withFake(2, async (api) => {
      const controller = new AbortController();
      let n = 0;
      const started = Date.now();
      await expect(
        (async () => {
          for await (const _ of pollEvents({
            events: ALL_TYPES,
            apiKey: api.apiKey,
            baseUrl: api.url,
            intervalMs: 60_000,
            signal: controller.signal,
          }))
            if (++n === 2) setTimeout(() => controller.abort(), 30);
        })(),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(api.requests.length).toBe(1);
    });
  });
});
