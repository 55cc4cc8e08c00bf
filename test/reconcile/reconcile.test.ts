import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryCursorStore, WorkOSApiError } from '../../src/events-api/index.js';
import { MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import {
  EVENTS_API_RETENTION_MS,
  parseDuration,
  type ReconcileProgress,
  reconcile,
  resolveSince,
  WorkOSReconcileError,
} from '../../src/reconcile/index.js';
import { countingHandler, deliverWebhook, makeEvents, withFakeApi } from './helpers.js';

describe('reconcile against the fake Events API', () => {
  it('counts exactly: webhook-delivered events are duplicates, the rest are processed now and logged', async () => {
    const events = makeEvents(12, ['user.created', 'dsync.user.created']);
    const { handler, runs, logger } = countingHandler();
    const viaWebhook = events.filter((_, i) => i % 3 === 0); // 4 of 12
    for (const event of viaWebhook) expect((await deliverWebhook(handler, event)).status).toBe(200);

    await withFakeApi(events, async (api) => {
      const progress: ReconcileProgress[] = [];
      const report = await reconcile({
        handler,
        logger,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 5,
        onProgress: (p) => progress.push(p),
      });
      expect(report).toMatchObject({
        scanned: 12,
        alreadyProcessed: 4,
        processedNow: 8,
        failed: [],
        inProgress: 0,
        skippedStale: 0,
        complete: true,
        cursor: events[11]!.id,
        lastEventId: events[11]!.id,
      });
      expect(report.durationMs).toBeGreaterThanOrEqual(0);
      // Every event ran its handler exactly once across both routes.
      expect(events.map((e) => runs.get(e.id))).toEqual(events.map(() => 1));
      expect(progress.map((p) => p.scanned)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

      const missed = logger.lines.filter((l) => l.level === 'warn' && l.obj.reconcile === true);
      const missedIds = events.filter((_, i) => i % 3 !== 0).map((e) => e.id);
      expect(missed.map((l) => l.obj.event_id)).toEqual(missedIds);
      for (const line of missed) {
        expect(line.obj.source).toBe('workos');
        expect(typeof line.obj.event_type).toBe('string');
        expect(JSON.stringify(line.obj)).not.toContain('"data"');
      }
      const summary = logger.lines.find((l) => l.msg === 'reconcile: done');
      expect(summary?.obj).toMatchObject({ scanned: 12, processed_now: 8, already_processed: 4, failed: 0 });

      // A second run finds nothing new to do.
      const again = await reconcile({ handler, since: '1h', apiKey: api.apiKey, baseUrl: api.url });
      expect(again).toMatchObject({ scanned: 12, alreadyProcessed: 12, processedNow: 0 });
    });
  });

  it('asks only for the types the handler handles by default, and `events` overrides that', async () => {
    const events = makeEvents(9, ['user.created', 'dsync.user.created', 'organization.updated']);
    const { handler } = countingHandler(undefined, ['user.created']);
    await withFakeApi(events, async (api) => {
      const report = await reconcile({ handler, since: '1h', apiKey: api.apiKey, baseUrl: api.url });
      expect(report.scanned).toBe(3);
      expect(api.requests[0]?.query.get('events')).toBe('user.created');

      const wider = await reconcile({
        handler,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        events: ['user.created', 'organization.updated'],
      });
      // organization.updated has no listener: ignored (completed, nothing ran), user.created already done.
      expect(wider).toMatchObject({ scanned: 6, alreadyProcessed: 3, ignored: 3, processedNow: 0 });
    });
  });

  it('lists handler failures, releases their claims, and a later run processes them', async () => {
    const events = makeEvents(6, ['user.created']);
    const { handler, runs, failOn, store, logger } = countingHandler();
    failOn.add(events[1]!.id);
    failOn.add(events[4]!.id);
    await withFakeApi(events, async (api) => {
      // No `logger` option: the lines below must come through the handler's own logger.
      const report = await reconcile({ handler, since: '1h', apiKey: api.apiKey, baseUrl: api.url });
      expect(report.processedNow).toBe(4);
      expect(report.failed.map((f) => [f.id, f.event])).toEqual([
        [events[1]!.id, 'user.created'],
        [events[4]!.id, 'user.created'],
      ]);
      expect(report.failed[0]!.error).toBeInstanceOf(Error);
      expect(report.failed[0]!.error.message).toContain('boom');
      // The cursor stops before the first failure, so a cursor-based next run re-reads it.
      expect(report.cursor).toBe(events[0]!.id);
      // Claims released: the keys are claimable again.
      for (const id of [events[1]!.id, events[4]!.id]) {
        const claim = await store.claim(id, { leaseMs: 1000 });
        expect(claim.status).toBe('claimed');
        if (claim.status === 'claimed') await store.release(id, claim.token);
      }
      const errorLines = logger.lines.filter((l) => l.level === 'error' && l.obj.reconcile === true);
      expect(errorLines.map((l) => l.obj.event_id)).toEqual([events[1]!.id, events[4]!.id]);

      failOn.clear();
      const retry = await reconcile({ handler, since: '1h', apiKey: api.apiKey, baseUrl: api.url });
      expect(retry).toMatchObject({ scanned: 6, alreadyProcessed: 4, processedNow: 2, failed: [] });
      expect(runs.get(events[1]!.id)).toBe(2);
      expect(runs.get(events[0]!.id)).toBe(1);
    });
  });

  it('counts an event whose claim is held elsewhere as in progress and does not move the cursor past it', async () => {
    const events = makeEvents(4, ['user.created']);
    const store = new MemoryIdempotencyStore();
    const { handler, runs } = countingHandler(store);
    const held = await store.claim(events[2]!.id, { leaseMs: 60_000 }); // a webhook delivery still running
    expect(held.status).toBe('claimed');
    const cursorStore = new MemoryCursorStore();
    await withFakeApi(events, async (api) => {
      const report = await reconcile({
        handler,
        since: cursorStore,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
      });
      expect(report).toMatchObject({ scanned: 4, processedNow: 3, inProgress: 1, cursor: events[1]!.id });
      expect(cursorStore.cursor).toBe(events[1]!.id);
      expect(runs.get(events[2]!.id)).toBeUndefined();
      expect(runs.get(events[3]!.id)).toBe(1);
    });
  });

  it('continues from a cursor store: saves progress and reads only what came after', async () => {
    const events = makeEvents(5, ['user.created', 'dsync.user.created']);
    const later = makeEvents(3, ['dsync.user.created']);
    const { handler, runs } = countingHandler();
    const cursorStore = new MemoryCursorStore();
    await withFakeApi(events, async (api) => {
      const first = await reconcile({
        handler,
        since: cursorStore,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
      });
      expect(first).toMatchObject({ scanned: 5, processedNow: 5, cursor: events[4]!.id });
      expect(cursorStore.cursor).toBe(events[4]!.id);
      expect(api.requests[0]?.query.get('range_start')).not.toBeNull();

      api.append(...later);
      api.requests.length = 0;
      const second = await reconcile({ handler, since: cursorStore, apiKey: api.apiKey, baseUrl: api.url });
      expect(second).toMatchObject({ scanned: 3, processedNow: 3, alreadyProcessed: 0, cursor: later[2]!.id });
      expect(api.requests[0]?.query.get('after')).toBe(events[4]!.id);
      expect(api.requests[0]?.query.get('range_start')).toBeNull();
      expect(cursorStore.cursor).toBe(later[2]!.id);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(runs.size).toBe(8);
    });
  });

  it('saves the cursor once per page by default, per event with checkpoint: event', async () => {
    const events = makeEvents(10, ['user.created', 'organization.updated']);
    const { handler } = countingHandler(undefined, ['user.created']);
    const saves = (store: MemoryCursorStore) => {
      const seen: string[] = [];
      const save = store.save.bind(store);
      store.save = async (cursor) => {
        seen.push(cursor);
        await save(cursor);
      };
      return seen;
    };
    await withFakeApi(events, async (api) => {
      const perPage = new MemoryCursorStore();
      const pageSaves = saves(perPage);
      // The fake ignores nothing: asking for user.created only, pages of 2 hold 2 of them (ids 0,2 | 4,6 | 8).
      const report = await reconcile({
        handler,
        since: perPage,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 2,
      });
      expect(report).toMatchObject({ scanned: 5, processedNow: 5, cursor: events[8]!.id });
      expect(pageSaves).toEqual([events[2]!.id, events[6]!.id, events[8]!.id]);

      const perEvent = new MemoryCursorStore();
      const eventSaves = saves(perEvent);
      await reconcile({
        handler,
        since: perEvent,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 2,
        checkpoint: 'event',
      });
      expect(eventSaves).toEqual([0, 2, 4, 6, 8].map((i) => events[i]!.id));
    });
  });

  it('aborts with the signal reason and keeps the progress made in the cursor store', async () => {
    const events = makeEvents(10, ['user.created']);
    const { handler, runs } = countingHandler();
    const cursorStore = new MemoryCursorStore();
    const controller = new AbortController();
    await withFakeApi(events, async (api) => {
      const run = reconcile({
        handler,
        since: cursorStore,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 2,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.scanned === 3) controller.abort(new Error('stop now'));
        },
      });
      await expect(run).rejects.toThrow('stop now');
      expect(runs.size).toBe(3);
      expect(cursorStore.cursor).toBe(events[2]!.id);

      // An already-aborted signal fails before any request.
      api.requests.length = 0;
      await expect(
        reconcile({
          handler,
          since: '1h',
          apiKey: api.apiKey,
          baseUrl: api.url,
          signal: AbortSignal.abort(new Error('early')),
        }),
      ).rejects.toThrow('early');
      expect(api.requests).toHaveLength(0);
    });
  });

  it('leaves events younger than graceMs to the webhooks', async () => {
    const events = makeEvents(3, ['user.created']);
    const { handler } = countingHandler();
    await withFakeApi(events, async (api) => {
      const report = await reconcile({ handler, since: '1h', graceMs: 60_000, apiKey: api.apiKey, baseUrl: api.url });
      expect(report).toMatchObject({ scanned: 0, processedNow: 0, complete: false, cursor: undefined });
      const all = await reconcile({ handler, since: '1h', graceMs: 0, apiKey: api.apiKey, baseUrl: api.url });
      expect(all).toMatchObject({ scanned: 3, complete: true });
    });
  });

  it('stops reading, without error, once maxDurationMs is spent', async () => {
    const events = makeEvents(5, ['user.created']);
    const { handler } = countingHandler();
    handler.on('user.created', () => new Promise((resolve) => setTimeout(resolve, 20)));
    await withFakeApi(events, async (api) => {
      const report = await reconcile({ handler, since: '1h', maxDurationMs: 5, apiKey: api.apiKey, baseUrl: api.url });
      expect(report).toMatchObject({ scanned: 1, processedNow: 1, complete: false, cursor: events[0]!.id });
    });
  });

  it('rejects with the Events API error (e.g. 401) and saves nothing', async () => {
    const events = makeEvents(2, ['user.created']);
    const { handler } = countingHandler();
    const cursorStore = new MemoryCursorStore();
    await withFakeApi(events, async (api) => {
      const error = await reconcile({ handler, since: cursorStore, apiKey: 'sk_test_wrong', baseUrl: api.url }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WorkOSApiError);
      expect((error as WorkOSApiError).status).toBe(401);
      expect(cursorStore.cursor).toBeUndefined();
    });
  });
});

describe('option checks', () => {
  const { handler } = countingHandler();
  const base = { handler, apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:9' };
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: unknown) => (e instanceof WorkOSReconcileError ? e.code : `other: ${String(e)}`),
    );

  it('refuses a since beyond the 30-day retention, in the future, or unreadable', async () => {
    expect(await code(reconcile({ ...base, since: '31d' }))).toBe('since_out_of_range');
    expect(await code(reconcile({ ...base, since: new Date(Date.now() - EVENTS_API_RETENTION_MS - 60_000) }))).toBe(
      'since_out_of_range',
    );
    expect(await code(reconcile({ ...base, since: new Date(Date.now() + 60_000) }))).toBe('since_out_of_range');
    expect(await code(reconcile({ ...base, since: 'yesterday' }))).toBe('invalid_since');
    expect(await code(reconcile({ ...base, since: new Date('nope') }))).toBe('invalid_since');
    expect(await code(reconcile({ ...base, since: 42 as unknown as string }))).toBe('invalid_since');
  });

  it('needs event types, a handler and sane numbers', async () => {
    const { handler: bare } = countingHandler(undefined, []);
    expect(await code(reconcile({ ...base, handler: bare, since: '1h' }))).toBe('no_event_types');
    expect(await code(reconcile({ ...base, handler: undefined as never, since: '1h' }))).toBe('invalid_options');
    expect(await code(reconcile({ ...base, since: '1h', graceMs: -1 }))).toBe('invalid_options');
    expect(await code(reconcile({ ...base, since: '1h', maxDurationMs: 0 }))).toBe('invalid_options');
  });
});

describe('durations', () => {
  it('parses units and combinations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(' 2w ')).toBe(1_209_600_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
  });

  it('rejects anything else with invalid_since', () => {
    for (const bad of ['', '10', '-1h', 'h', '1x', '1h 30m', '0s', '24 h', '1e3s']) {
      expect(() => parseDuration(bad), bad).toThrow(WorkOSReconcileError);
    }
  });

  it('property: n<unit> is n times the unit, and sums concatenate', () => {
    const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
    const unit = fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[]));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        unit,
        fc.integer({ min: 1, max: 10_000 }),
        unit,
        (a, ua, b, ub) => {
          expect(parseDuration(`${a}${ua}`)).toBe(a * units[ua]);
          expect(parseDuration(`${a}${ua}${b}${ub}`)).toBe(a * units[ua] + b * units[ub]);
        },
      ),
    );
  });

  it('resolveSince accepts ISO strings and durations within 30 days', () => {
    const now = Date.parse('2026-06-30T00:00:00Z');
    expect(resolveSince('24h', now).toISOString()).toBe('2026-06-29T00:00:00.000Z');
    expect(resolveSince('2026-06-01T00:00:00Z', now).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(resolveSince('30d', now).toISOString()).toBe('2026-05-31T00:00:00.000Z');
    expect(() => resolveSince('2026-05-30T23:59:59Z', now)).toThrow(/30 days/);
  });
});
