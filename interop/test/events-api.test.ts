/**
 * `listEvents` / `pollEvents` against the CLI emulator's `GET /events`, which reads only the `events[]` form of the
 * filter, lists newest first unless asked otherwise, and starts over on an `after` it does not know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWorkOSApiError, listEvents, MemoryCursorStore, pollEvents, type WorkOSEvent } from 'workos-events';
import { api, type Emulator, KNOWN_TYPES, makeActivity, type RawEvent, rawEvents, startEmulator } from './emulator.js';

let emu: Emulator;
let all: RawEvent[];
/** Known-type events one `makeActivity` call produces. */
let perActivity: number;

/** A fetch that records each request's query and the event types each answer carried. */
function recordingFetch() {
  const calls: { query: URLSearchParams; types: string[] }[] = [];
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const response = await globalThis.fetch(input, init);
    const body = (await response.clone().json()) as { data?: { event: string }[] };
    calls.push({ query: new URL(input).searchParams, types: (body.data ?? []).map((e) => e.event) });
    return response;
  };
  return { fetch, calls };
}

const ids = (events: { id: string }[]) => events.map((e) => e.id);
const known = (events: RawEvent[]) => events.filter((e) => (KNOWN_TYPES as readonly string[]).includes(e.event));

async function drain(stream: AsyncIterable<WorkOSEvent>): Promise<WorkOSEvent[]> {
  const out: WorkOSEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

beforeAll(async () => {
  emu = await startEmulator();
  await makeActivity(emu, 'one');
  perActivity = known(await rawEvents(emu)).length;
  await makeActivity(emu, 'two');
  all = await rawEvents(emu);
});

afterAll(async () => {
  await emu?.close();
});

describe('listEvents against the CLI emulator', () => {
  it('lists every event of the requested types, oldest first, across pages (order=asc on every request)', async () => {
    const { fetch, calls } = recordingFetch();
    const got = await drain(listEvents({ events: KNOWN_TYPES, apiKey: emu.apiKey, baseUrl: emu.url, limit: 5, fetch }));
    expect(ids(got)).toEqual(ids(known(all)));
    expect(got.map((e) => e.event)).toEqual(known(all).map((e) => e.event));
    expect(calls.length).toBe(Math.ceil(all.length / 5)); // the filter is not applied by the emulator: see below
    for (const { query } of calls) expect(query.get('order')).toBe('asc');
    // Oldest first is what it says: created_at never goes back.
    const times = got.map((e) => Date.parse(e.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('filters by type out of the box: the emulator ignores the comma form, the client drops the rest', async () => {
    const { fetch, calls } = recordingFetch();
    const got = await drain(
      listEvents({ events: ['user.created', 'user.deleted'], apiKey: emu.apiKey, baseUrl: emu.url, limit: 4, fetch }),
    );
    const expected = all.filter((e) => e.event === 'user.created' || e.event === 'user.deleted');
    expect(ids(got)).toEqual(ids(expected));
    expect(calls[0]!.query.get('events')).toBe('user.created,user.deleted');
    expect(calls.flatMap((c) => c.types)).toContain('organization.created'); // sent, then dropped by the client
  });

  it("eventsEncoding: 'brackets' makes the emulator filter (fewer, smaller pages; same result)", async () => {
    const { fetch, calls } = recordingFetch();
    const got = await drain(
      listEvents({
        events: ['user.created', 'user.deleted'],
        apiKey: emu.apiKey,
        baseUrl: emu.url,
        limit: 2,
        fetch,
        eventsEncoding: 'brackets',
      }),
    );
    const expected = all.filter((e) => e.event === 'user.created' || e.event === 'user.deleted');
    expect(ids(got)).toEqual(ids(expected));
    expect(calls[0]!.query.getAll('events[]')).toEqual(['user.created', 'user.deleted']);
    expect(new Set(calls.flatMap((c) => c.types))).toEqual(new Set(['user.created', 'user.deleted']));
    expect(calls.length).toBe(Math.ceil(expected.length / 2));
  });

  it('resumes after a known cursor (a cursor store across runs sees only what is new)', async () => {
    const store = new MemoryCursorStore();
    const options = { events: KNOWN_TYPES, apiKey: emu.apiKey, baseUrl: emu.url, cursorStore: store, limit: 3 };
    expect(ids(await drain(listEvents(options)))).toEqual(ids(known(all)));
    expect(await store.load()).toBe(all[all.length - 1]!.id);
    expect(await drain(listEvents(options))).toEqual([]);
    const fresh = await api<{ id: string }>(emu, 'POST', '/organizations', { name: 'Resume Co' });
    const next = await drain(listEvents(options));
    expect(next.map((e) => e.event)).toEqual(['organization.created']);
    expect((next[0]!.data as { id: string }).id).toBe(fresh.id);
    all = await rawEvents(emu);
  });

  it('an unknown cursor: cursor_not_found instead of the emulator silently listing from the beginning', async () => {
    const middle = all[Math.floor(all.length / 2)]!.id;
    // Same instant as a real event, another random part: an id this emulator never issued.
    const unknown = `${middle.slice(0, 14)}${'Z'.repeat(middle.length - 14)}`;
    const got: string[] = [];
    const error = await (async () => {
      for await (const e of listEvents({ events: KNOWN_TYPES, apiKey: emu.apiKey, baseUrl: emu.url, after: unknown })) {
        got.push(e.id);
      }
    })().catch((e: unknown) => e);
    expect(got).toEqual([]);
    expect(isWorkOSApiError(error) && error.code).toBe('cursor_not_found');
    expect((error as Error).message).toContain(unknown);
  });

  it('a cursor outside an events[] filter is unknown to the emulator too, and diagnosed the same way', async () => {
    const lastOrg = [...all].reverse().find((e) => e.event === 'organization.created')!;
    const error = await drain(
      listEvents({
        events: ['user.created'],
        apiKey: emu.apiKey,
        baseUrl: emu.url,
        after: lastOrg.id,
        eventsEncoding: 'brackets',
      }),
    ).catch((e: unknown) => e);
    expect(isWorkOSApiError(error) && error.code).toBe('cursor_not_found');
    // The default (comma) encoding keeps the emulator's list unfiltered, so the same cursor just works.
    const got = await drain(
      listEvents({ events: ['user.created'], apiKey: emu.apiKey, baseUrl: emu.url, after: lastOrg.id }),
    );
    const at = all.findIndex((e) => e.id === lastOrg.id);
    expect(ids(got)).toEqual(ids(all.slice(at + 1).filter((e) => e.event === 'user.created')));
  });

  it('a stale cursor older than every event (an emulator that restarted) lists everything', async () => {
    const first = all[0]!.id;
    const stale = `${first.slice(0, 4)}00000000000000000000000000`.slice(0, first.length); // ULID time 0
    const got = await drain(listEvents({ events: KNOWN_TYPES, apiKey: emu.apiKey, baseUrl: emu.url, after: stale }));
    expect(ids(got)).toEqual(ids(known(all)));
  });
});

describe('pollEvents against the CLI emulator', () => {
  it('tails: lists what exists, then picks up new events as the API creates them, each once', async () => {
    const controller = new AbortController();
    const seen: WorkOSEvent[] = [];
    const before = known(all).length;
    const poll = (async () => {
      for await (const event of pollEvents({
        events: KNOWN_TYPES,
        apiKey: emu.apiKey,
        baseUrl: emu.url,
        intervalMs: 25,
        limit: 4,
        signal: controller.signal,
      })) {
        seen.push(event);
        if (seen.length === before) void makeActivity(emu, 'three');
        if (seen.length === before + perActivity) controller.abort();
      }
    })().catch((e: unknown) => e);
    const stopped = await poll;
    expect(controller.signal.aborted).toBe(true);
    expect(stopped).toBe(controller.signal.reason);
    const now = await rawEvents(emu);
    const expected = known(now).slice(0, seen.length);
    expect(ids(seen)).toEqual(ids(expected));
    expect(seen.slice(before).map((e) => e.event)).toContain('user.created');
    all = now;
  });
});
