import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkOSEventParseError } from '../../src/errors/index.js';
import type { WorkOSEvent } from '../../src/events/index.js';
import {
  type EventPage,
  type EventsApiLogger,
  listEvents,
  MemoryCursorStore,
  type OnInvalidEvent,
  pollEvents,
} from '../../src/events-api/index.js';
import { createFakeWorkOSApi, createTestEvent, type FakeWorkOSApi } from '../../src/testing/index.js';
import { fastRetry } from './helpers.js';

// A value that must never reach a log line or an error message: it sits in every poison item.
const SECRET = 'sk_live_TOPSECRET_poison_4f9a';

const TYPES = ['user.created'] as const;
const good = () => createTestEvent('user.created') as unknown as WorkOSEvent;
/** A broken envelope: `data: null` (plus a secret-looking value elsewhere in the item). */
const nullData = (): Record<string, unknown> => ({ ...good(), data: null, context: { token: SECRET } });
/** Valid envelope, spec drift: `email_verified` must be a boolean. Passes 'envelope', fails 'strict'. */
const drifted = (): Record<string, unknown> => {
  const e = good() as unknown as { data: Record<string, unknown> };
  return { ...e, data: { ...e.data, email_verified: SECRET } };
};

function recording(): EventsApiLogger & { lines: { obj: Record<string, unknown>; msg: string | undefined }[] } {
  const lines: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
  return { lines, error: (obj, msg) => lines.push({ obj, msg }) };
}

async function withApi<T>(items: unknown[], fn: (api: FakeWorkOSApi) => Promise<T>): Promise<T> {
  const api = await createFakeWorkOSApi({ events: items as never });
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

/** Runs a poller until it has yielded `count` events, then aborts it; resolves with what it yielded. */
async function pollUntil(options: Parameters<typeof pollEvents>[0], count: number): Promise<string[]> {
  const controller = new AbortController();
  const got: string[] = [];
  const run = (async () => {
    for await (const e of pollEvents({ intervalMs: 5, retry: fastRetry, ...options, signal: controller.signal })) {
      got.push(e.id);
      if (got.length === count) controller.abort();
    }
  })();
  await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  return got;
}

const idOf = (item: unknown) => (item as { id: string }).id;

afterEach(() => vi.restoreAllMocks());

describe("listEvents: an invalid item throws by default ('throw')", () => {
  it('a data:null item mid-page stops before it, names its id and the option, never a payload value', async () => {
    const items = [good(), good(), nullData(), good(), good()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const got: string[] = [];
      const error = await (async () => {
        for await (const e of listEvents({ events: TYPES, apiKey: api.apiKey, baseUrl: api.url, cursorStore: store }))
          got.push(e.id);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkOSEventParseError);
      const err = error as WorkOSEventParseError;
      expect(err.code).toBe('invalid_payload');
      expect(err.message).toContain(idOf(items[2]));
      expect(err.message).toContain('onInvalidEvent');
      expect(err.message).toContain('data');
      expect(err.message).not.toContain(SECRET);
      expect((err.cause as WorkOSEventParseError).code).toBe('invalid_payload');
      expect(got).toEqual([idOf(items[0]), idOf(items[1])]);
      expect(store.cursor).toBe(idOf(items[1])); // never past the item it did not deliver
    });
  });

  it("spec drift under validate: 'strict' throws invalid_event naming the id", async () => {
    const items = [good(), drifted(), good()];
    await withApi(items, async (api) => {
      const got: string[] = [];
      const error = await (async () => {
        for await (const e of listEvents({ events: TYPES, apiKey: api.apiKey, baseUrl: api.url, validate: 'strict' }))
          got.push(e.id);
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'WorkOSEventParseError', code: 'invalid_event' });
      expect((error as Error).message).toContain(idOf(items[1]));
      expect((error as Error).message).toContain('email_verified');
      expect((error as Error).message).not.toContain(SECRET);
      expect(got).toEqual([idOf(items[0])]);
    });
  });

  it('pages(): the page holding the item is not yielded; the earlier pages are, and the cursor stays there', async () => {
    const items = [good(), good(), good(), nullData(), good()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const pages: EventPage[] = [];
      const stream = listEvents({ events: TYPES, apiKey: api.apiKey, baseUrl: api.url, cursorStore: store, limit: 2 });
      const error = await (async () => {
        for await (const page of stream.pages()) pages.push(page);
      })().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid_payload' });
      expect(pages.map((p) => p.data.map((e) => e.id))).toEqual([[idOf(items[0]), idOf(items[1])]]);
      expect(store.cursor).toBe(idOf(items[1]));
    });
  });
});

describe("pollEvents: an invalid item is skipped by default ('skip')", () => {
  it('processes every other event of that page and of later pages; the saved cursor moves past it', async () => {
    const items = [good(), good(), nullData(), good(), good(), good(), good()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const logger = recording();
      const expected = items.filter((_, i) => i !== 2).map(idOf);
      const got = await pollUntil(
        { events: TYPES, apiKey: api.apiKey, baseUrl: api.url, limit: 4, cursorStore: store, logger },
        expected.length,
      );
      expect(got).toEqual(expected);
      expect(store.cursor).toBe(idOf(items[6]));
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]!.msg).toBe('pollEvents: skipped an invalid Events API item');
      expect(logger.lines[0]!.obj).toMatchObject({
        source: 'workos',
        event_id: idOf(items[2]),
        code: 'invalid_payload',
      });
      expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
    });
  });

  it('a poison item that is the last one so far: the cursor is saved past it, so a restart does not meet it', async () => {
    const items = [good(), good(), nullData()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const logger = recording();
      const controller = new AbortController();
      const run = (async () => {
        for await (const _ of pollEvents({
          events: TYPES,
          apiKey: api.apiKey,
          baseUrl: api.url,
          cursorStore: store,
          logger,
          intervalMs: 5,
          signal: controller.signal,
        })) {
          // the two good events
        }
      })();
      await vi.waitFor(() => expect(api.requests.length).toBeGreaterThan(2)); // polled again after the poison
      controller.abort();
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(store.cursor).toBe(idOf(items[2]));
      expect(logger.lines).toHaveLength(1); // not re-read on the next polls
      expect(api.requests.slice(1).every((r) => r.query.get('after') === idOf(items[2]))).toBe(true);
    });
  });

  it('without a logger, one console.error line with the id and the code, no payload value', async () => {
    const items = [good(), nullData(), good()];
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    await withApi(items, async (api) => {
      const got = await pollUntil({ events: TYPES, apiKey: api.apiKey, baseUrl: api.url }, 2);
      expect(got).toEqual([idOf(items[0]), idOf(items[2])]);
    });
    expect(consoleError).toHaveBeenCalledTimes(1);
    const line = String(consoleError.mock.calls[0]?.[0]);
    expect(line).toContain(idOf(items[1]));
    expect(line).toContain('invalid_payload');
    expect(line).not.toContain(SECRET);
  });

  it("skips spec drift under validate: 'strict' with code invalid_event", async () => {
    const items = [drifted(), good(), drifted(), good()];
    await withApi(items, async (api) => {
      const logger = recording();
      const got = await pollUntil(
        { events: TYPES, apiKey: api.apiKey, baseUrl: api.url, validate: 'strict', logger },
        2,
      );
      expect(got).toEqual([idOf(items[1]), idOf(items[3])]);
      expect(logger.lines.map((l) => [l.obj.event_id, l.obj.code])).toEqual([
        [idOf(items[0]), 'invalid_event'],
        [idOf(items[2]), 'invalid_event'],
      ]);
      expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
    });
  });

  it("listEvents with onInvalidEvent: 'skip' goes on to the end and saves the last id", async () => {
    const items = [good(), nullData(), good()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const got: string[] = [];
      for await (const e of listEvents({
        events: TYPES,
        apiKey: api.apiKey,
        baseUrl: api.url,
        cursorStore: store,
        onInvalidEvent: 'skip',
        logger: recording(),
        checkpoint: 'page',
      }))
        got.push(e.id);
      expect(got).toEqual([idOf(items[0]), idOf(items[2])]);
      expect(store.cursor).toBe(idOf(items[2]));
    });
  });
});

describe('onInvalidEvent as a function', () => {
  it('receives the raw item and the parser error, the item is skipped, nothing is logged', async () => {
    const items = [good(), nullData(), good(), drifted(), good()];
    await withApi(items, async (api) => {
      const seen: [unknown, WorkOSEventParseError][] = [];
      const logger = recording();
      const consoleError = vi.spyOn(console, 'error');
      const hook: OnInvalidEvent = async (item, error) => {
        await new Promise((resolve) => setTimeout(resolve, 1)); // awaited before going on
        seen.push([item, error]);
      };
      const got: string[] = [];
      for await (const e of listEvents({
        events: TYPES,
        apiKey: api.apiKey,
        baseUrl: api.url,
        validate: 'strict',
        onInvalidEvent: hook,
        logger,
      }))
        got.push(e.id);
      expect(got).toEqual([idOf(items[0]), idOf(items[2]), idOf(items[4])]);
      expect(seen.map(([item]) => item)).toEqual([items[1], items[3]]);
      expect(seen.map(([, error]) => error.code)).toEqual(['invalid_payload', 'invalid_event']);
      expect(seen[0]![1]).toBeInstanceOf(WorkOSEventParseError);
      expect(logger.lines).toEqual([]);
      expect(consoleError).not.toHaveBeenCalled();
    });
  });

  it('a hook that throws stops the iteration with its error; the cursor stays before the item', async () => {
    const items = [good(), nullData(), good()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const boom = new Error('dead-letter table is down');
      const got: string[] = [];
      const error = await (async () => {
        for await (const e of pollEvents({
          events: TYPES,
          apiKey: api.apiKey,
          baseUrl: api.url,
          cursorStore: store,
          onInvalidEvent: () => {
            throw boom;
          },
        }))
          got.push(e.id);
      })().catch((e: unknown) => e);
      expect(error).toBe(boom);
      expect(got).toEqual([idOf(items[0])]);
      expect(store.cursor).toBe(idOf(items[0]));
    });
  });
});

describe('pages() with skip', () => {
  it('yields the valid events and lists the skipped ones as { id, code, message } (never values)', async () => {
    const items = [good(), nullData(), good(), good()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const pages: EventPage[] = [];
      const stream = listEvents({
        events: TYPES,
        apiKey: api.apiKey,
        baseUrl: api.url,
        cursorStore: store,
        limit: 2,
        onInvalidEvent: 'skip',
        logger: recording(),
      });
      for await (const page of stream.pages()) pages.push(page);
      expect(pages.map((p) => p.data.map((e) => e.id))).toEqual([[idOf(items[0])], [idOf(items[2]), idOf(items[3])]]);
      expect(pages[0]!.invalid).toEqual([
        { id: idOf(items[1]), code: 'invalid_payload', message: expect.stringContaining('data') },
      ]);
      expect(pages[1]!.invalid).toEqual([]);
      expect(pages[0]!.cursor).toBe(idOf(items[1])); // the page's last item, skipped: the cursor moves past it
      expect(JSON.stringify(pages.map((p) => p.invalid))).not.toContain(SECRET);
      expect(store.cursor).toBe(idOf(items[3]));
    });
  });
});

describe('an invalid item without an id', () => {
  const noId = (id?: unknown) => {
    const { id: _, ...rest } = nullData();
    return id === undefined ? rest : { ...rest, id };
  };

  it('is skipped; the cursor cannot be it, so it moves past it with the next item that has an id', async () => {
    const items = [good(), noId(42), good()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const seen: unknown[] = [];
      const cursors: (string | undefined)[] = [];
      const stream = listEvents({
        events: TYPES,
        apiKey: api.apiKey,
        baseUrl: api.url,
        cursorStore: store,
        onInvalidEvent: (item) => {
          seen.push(item);
          cursors.push(store.cursor);
        },
      });
      const got: string[] = [];
      for await (const e of stream) got.push(e.id);
      expect(got).toEqual([idOf(items[0]), idOf(items[2])]);
      expect(seen).toEqual([items[1]]);
      expect(cursors).toEqual([idOf(items[0])]); // while it is handled, the cursor is the item before it
      expect(store.cursor).toBe(idOf(items[2]));
    });
  });

  it("'throw' places it by the id before it", async () => {
    const items = [good(), noId()];
    await withApi(items, async (api) => {
      const error = await (async () => {
        for await (const _ of listEvents({ events: TYPES, apiKey: api.apiKey, baseUrl: api.url })) {
          // the first event
        }
      })().catch((e: unknown) => e);
      expect((error as Error).message).toContain(`without an id (after "${idOf(items[0])}")`);
      expect((error as Error).message).not.toContain(SECRET);
    });
  });

  it('last in the list: polls serve it again, it is reported once per iteration; the cursor stays before it', async () => {
    const items = [good(), noId()];
    await withApi(items, async (api) => {
      const store = new MemoryCursorStore();
      const seen: unknown[] = [];
      const controller = new AbortController();
      const got: string[] = [];
      const run = (async () => {
        for await (const e of pollEvents({
          events: TYPES,
          apiKey: api.apiKey,
          baseUrl: api.url,
          cursorStore: store,
          intervalMs: 5,
          signal: controller.signal,
          onInvalidEvent: (item) => {
            seen.push(item);
          },
        })) {
          got.push(e.id);
          if (got.length === 2) controller.abort();
        }
      })();
      await vi.waitFor(() => expect(api.requests.length).toBeGreaterThan(3)); // it was served again and again
      expect(seen).toHaveLength(1);
      expect(store.cursor).toBe(idOf(items[0]));
      const later = good();
      api.append(later as never);
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(got).toEqual([idOf(items[0]), later.id]);
      expect(seen).toHaveLength(1);
      expect(store.cursor).toBe(later.id); // past it now
    });
  });
});

describe('option checks', () => {
  it('rejects an unknown onInvalidEvent and a logger without error()', () => {
    const base = { events: TYPES, apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:9' };
    expect(() => listEvents({ ...base, onInvalidEvent: 'ignore' as 'skip' })).toThrow(
      /^listEvents: `onInvalidEvent` must be 'throw', 'skip' or a function/,
    );
    expect(() => pollEvents({ ...base, logger: {} as EventsApiLogger })).toThrow(/`logger` must have an `error/);
  });
});
