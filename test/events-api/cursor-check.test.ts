/**
 * An unknown `after` cursor: WorkOS's CLI emulator lists from the beginning instead of failing. The client notices
 * (first page says `before: null` yet starts older than the cursor) and raises `cursor_not_found` instead of handing
 * out old events as new. The emulator itself is exercised in interop/; here a fetch reproduces its pagination.
 */
import { describe, expect, it } from 'vitest';
import { ignoredCursorError, ulidTime } from '../../src/events-api/cursor-check.js';
import { listEvents, WorkOSApiError } from '../../src/events-api/index.js';
import { withFake } from './helpers.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An id like the emulator's: `evt_` + ULID(ms) with a fixed random part. */
function evtId(ms: number, tail = 'ABCDEFGHJKMNPQRS'): string {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  return `evt_${time}${tail}`;
}

const T0 = Date.parse('2026-06-01T12:00:00Z');
const events = Array.from({ length: 5 }, (_, i) => ({
  object: 'event',
  id: evtId(T0 + i * 1000),
  event: 'user.created',
  data: { object: 'user', id: `user_${i}` },
  environment_id: null,
  created_at: new Date(T0 + i * 1000).toISOString(),
}));

/** The emulator's cursorPaginate (workos 0.14 `core/pagination.js`), ascending: an unknown `after` starts at 0. */
const emulatorFetch = async (input: string): Promise<Response> => {
  const url = new URL(input);
  const limit = Number(url.searchParams.get('limit') ?? 10);
  const after = url.searchParams.get('after');
  const found = after === null ? -1 : events.findIndex((e) => e.id === after);
  const start = found === -1 ? 0 : found + 1;
  const page = events.slice(start, start + limit);
  const more = start + limit < events.length;
  const body = {
    object: 'list',
    data: page,
    list_metadata: {
      before: page.length > 0 && start > 0 ? page[0]!.id : null,
      after: page.length > 0 && more ? page[page.length - 1]!.id : null,
    },
  };
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
};

const options = { events: ['user.created'], apiKey: 'sk_test_default', baseUrl: 'http://emulator', limit: 2 };

async function drain(after: string | undefined): Promise<string[]> {
  const out: string[] = [];
  for await (const e of listEvents({ ...options, fetch: emulatorFetch, ...(after ? { after } : {}) })) out.push(e.id);
  return out;
}

describe('ulidTime', () => {
  it('decodes the timestamp of a ULID behind any prefix (the seed-time example of the ulid README), and nothing else', () => {
    expect(ulidTime('01ARYZ6S41TSV4RRFFQ69G5FAV')).toBe(1_469_918_176_385);
    expect(ulidTime('event_01ARYZ6S41TSV4RRFFQ69G5FAV')).toBe(1_469_918_176_385);
    expect(ulidTime('evt_01aryz6s41tsv4rrffq69g5fav')).toBe(1_469_918_176_385);
    expect(ulidTime(evtId(T0))).toBe(T0);
    for (const id of [
      'event_01ARZ3NDEK',
      'event_01ARZ3NDEKTSV4RRFFQ69G5FAU!',
      'event_01ARZ3NDEKTSV4RRFFQ69G5FAI',
      '',
    ]) {
      expect(ulidTime(id), id).toBeUndefined();
    }
  });
});

describe('ignoredCursorError', () => {
  const later = evtId(T0 + 60_000);
  it('fires only for before: null with a first item older than the cursor', () => {
    expect(ignoredCursorError(later, { data: events, before: null })).toBeInstanceOf(WorkOSApiError);
    expect(ignoredCursorError(later, { data: events })).toBeUndefined(); // no `before` (the spec's list)
    expect(ignoredCursorError(later, { data: events, before: events[0]!.id })).toBeUndefined();
    expect(ignoredCursorError(evtId(T0 - 60_000), { data: events, before: null })).toBeUndefined(); // stale, older
    expect(ignoredCursorError(later, { data: [], before: null })).toBeUndefined();
    expect(ignoredCursorError('not-a-ulid', { data: events, before: null })).toBeUndefined();
    expect(ignoredCursorError(events[0]!.id, { data: events, before: null })).toBeUndefined();
  });
});

describe('listEvents against a server that restarts on an unknown cursor', () => {
  it('a known cursor continues after it', async () => {
    expect(await drain(events[1]!.id)).toEqual(events.slice(2).map((e) => e.id));
  });

  it('an unknown cursor newer than the first event: cursor_not_found, nothing handed out', async () => {
    const got: string[] = [];
    const cursor = evtId(T0 + 2500, 'ZZZZZZZZZZZZZZZZ'); // between events 2 and 3, never listed
    const err = await (async () => {
      for await (const e of listEvents({ ...options, fetch: emulatorFetch, after: cursor })) got.push(e.id);
    })().catch((e: unknown) => e);
    expect(got).toEqual([]);
    expect(err).toBeInstanceOf(WorkOSApiError);
    expect((err as WorkOSApiError).code).toBe('cursor_not_found');
    expect((err as WorkOSApiError).status).toBe(200);
    expect((err as Error).message).toContain(`after=${cursor}`);
    expect((err as Error).message).toContain('rangeStart');
  });

  it('an unknown cursor older than every event (an emulator that restarted) lists everything', async () => {
    expect(await drain(evtId(T0 - 3_600_000))).toEqual(events.map((e) => e.id));
  });

  it('the fake Events API (which answers before for every cursor page) never trips it', async () => {
    await withFake(30, async (api) => {
      const all: string[] = [];
      for await (const e of listEvents({ events: ['user.created'], apiKey: api.apiKey, baseUrl: api.url })) {
        all.push(e.id);
      }
      const rest: string[] = [];
      for await (const e of listEvents({
        events: ['user.created'],
        apiKey: api.apiKey,
        baseUrl: api.url,
        after: all[1]!,
        limit: 2,
      })) {
        rest.push(e.id);
      }
      expect(rest).toEqual(all.slice(2));
    });
  });
});
