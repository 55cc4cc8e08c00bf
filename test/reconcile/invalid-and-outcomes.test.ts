import { describe, expect, it } from 'vitest';
import { WorkOSEventParseError } from '../../src/errors/index.js';
import type { WorkOSEvent } from '../../src/events/index.js';
import { MemoryCursorStore } from '../../src/events-api/index.js';
import type { ProcessOutcome } from '../../src/handler/types.js';
import {
  type ReconcileHandler,
  reconcile,
  reconcileOnInterval,
  WorkOSReconcileError,
} from '../../src/reconcile/index.js';
import { createTestEvent } from '../../src/testing/index.js';
import { countingHandler, makeEvents, recordingLogger, withFakeApi } from './helpers.js';

// A value that must never reach a log line, an error message or the report: it sits in every poison item.
const SECRET = 'sk_live_TOPSECRET_reconcile_77c1';

const nullData = (): WorkOSEvent =>
  ({ ...createTestEvent('user.created'), data: null, context: { token: SECRET } }) as unknown as WorkOSEvent;
const drifted = (): WorkOSEvent => {
  const e = createTestEvent('user.created') as unknown as { data: Record<string, unknown> };
  return { ...e, data: { ...e.data, email_verified: SECRET } } as unknown as WorkOSEvent;
};

/** A ReconcileHandler whose `process` answers what `answer` says, recording each call. */
function stubHandler(answer: (event: WorkOSEvent, index: number) => ProcessOutcome | string) {
  const calls: string[] = [];
  const logger = recordingLogger();
  const handler: ReconcileHandler = {
    logger,
    handledEventNames: () => ['user.created'],
    process: async (event) => {
      calls.push(event.id);
      return { outcome: answer(event, calls.length - 1) as ProcessOutcome, durationMs: 0 };
    },
  };
  return { handler, calls, logger };
}

describe('reconcile: a poison item does not block the run', () => {
  it('data:null mid-page: every other event of that page and later pages is processed, the cursor saved past it', async () => {
    const events = makeEvents(7, ['user.created']);
    events[2] = nullData();
    const { handler, runs, logger } = countingHandler();
    const cursorStore = new MemoryCursorStore();
    await withFakeApi(events, async (api) => {
      const report = await reconcile({
        handler,
        since: cursorStore,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 3,
      });
      expect(report).toMatchObject({ scanned: 6, processedNow: 6, complete: true, cursor: events[6]!.id });
      expect(report.failed).toEqual([]);
      expect(report.invalid).toEqual([
        { id: events[2]!.id, code: 'invalid_payload', message: expect.stringContaining('data') },
      ]);
      expect(cursorStore.cursor).toBe(events[6]!.id);
      expect(events.filter((_, i) => i !== 2).map((e) => runs.get(e.id))).toEqual([1, 1, 1, 1, 1, 1]);

      const lines = logger.lines.filter((l) => l.msg === 'reconcile: invalid Events API item skipped');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.level).toBe('error');
      expect(lines[0]!.obj).toMatchObject({ event_id: events[2]!.id, code: 'invalid_payload', reconcile: true });
      expect(logger.lines.find((l) => l.msg === 'reconcile: done')?.obj).toMatchObject({ invalid: 1 });
      // No value of the poison item anywhere: log lines, report.
      expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
      expect(JSON.stringify(report)).not.toContain(SECRET);

      // The next run starts past it: nothing to read, nothing reported again.
      const next = await reconcile({ handler, since: cursorStore, apiKey: api.apiKey, baseUrl: api.url });
      expect(next).toMatchObject({ scanned: 0, invalid: [] });
    });
  });

  it("spec drift under validate: 'strict' is listed as invalid_event and skipped", async () => {
    const events = makeEvents(4, ['user.created']);
    events[1] = drifted();
    const { handler, logger } = countingHandler();
    await withFakeApi(events, async (api) => {
      const report = await reconcile({
        handler,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        validate: 'strict',
      });
      expect(report.scanned).toBe(3);
      expect(report.invalid.map((i) => [i.id, i.code])).toEqual([[events[1]!.id, 'invalid_event']]);
      expect(report.invalid[0]!.message).toContain('email_verified');
      expect(JSON.stringify(report.invalid)).not.toContain(SECRET);
      expect(JSON.stringify(logger.lines)).not.toContain(SECRET);
      expect(report.cursor).toBe(events[3]!.id);
    });
  });

  it('a function hook gets the raw item and the error; the item is still listed and skipped', async () => {
    const events = makeEvents(3, ['user.created']);
    events[1] = nullData();
    const { handler } = countingHandler();
    await withFakeApi(events, async (api) => {
      const seen: [unknown, string][] = [];
      const report = await reconcile({
        handler,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        onInvalidEvent: (item, error) => {
          seen.push([item, error.code]);
        },
      });
      expect(seen).toEqual([[events[1], 'invalid_payload']]);
      expect(report).toMatchObject({ scanned: 2, processedNow: 2, cursor: events[2]!.id });
      expect(report.invalid.map((i) => i.id)).toEqual([events[1]!.id]);
    });
  });

  it("onInvalidEvent: 'throw' rejects naming the item; progress before its page is saved", async () => {
    const events = makeEvents(5, ['user.created']);
    events[3] = nullData();
    const { handler, runs } = countingHandler();
    const cursorStore = new MemoryCursorStore();
    await withFakeApi(events, async (api) => {
      const error = await reconcile({
        handler,
        since: cursorStore,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 2,
        onInvalidEvent: 'throw',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkOSEventParseError);
      expect((error as Error).message).toContain(events[3]!.id);
      expect((error as Error).message).not.toContain(SECRET);
      expect(cursorStore.cursor).toBe(events[1]!.id);
      expect(runs.get(events[2]!.id)).toBeUndefined();
    });
  });
});

describe('reconcile: every handler outcome', () => {
  it("'ignored' (no listener for the type) is counted as ignored, not processedNow, and settles", async () => {
    const events = makeEvents(4, ['user.created']);
    const { handler, logger } = stubHandler((_, i) => (i % 2 === 0 ? 'processed' : 'ignored'));
    const cursorStore = new MemoryCursorStore();
    await withFakeApi(events, async (api) => {
      const report = await reconcile({
        handler,
        since: cursorStore,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
      });
      expect(report).toMatchObject({ scanned: 4, processedNow: 2, ignored: 2, complete: true, stoppedBy: undefined });
      expect(cursorStore.cursor).toBe(events[3]!.id);
      const missed = logger.lines.filter((l) => l.msg === 'reconcile: event missed by webhooks, processed now');
      expect(missed.map((l) => l.obj.event_id)).toEqual([events[0]!.id, events[2]!.id]);
      expect(logger.lines.find((l) => l.msg === 'reconcile: done')?.obj).toMatchObject({
        ignored: 2,
        processed_now: 2,
      });
    });
  });

  it("'shutting_down' stops the run at once: nothing more is processed and the cursor stays before that event", async () => {
    const events = makeEvents(6, ['user.created']);
    const { handler, calls, logger } = stubHandler((_, i) => (i < 2 ? 'processed' : 'shutting_down'));
    const cursorStore = new MemoryCursorStore();
    await withFakeApi(events, async (api) => {
      const report = await reconcile({
        handler,
        since: cursorStore,
        initialSince: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        checkpoint: 'event',
      });
      expect(calls).toEqual([events[0]!.id, events[1]!.id, events[2]!.id]); // not one event after it
      expect(report).toMatchObject({
        scanned: 2,
        processedNow: 2,
        complete: false,
        stoppedBy: 'shutting_down',
        cursor: events[1]!.id,
        lastEventId: events[1]!.id,
      });
      expect(cursorStore.cursor).toBe(events[1]!.id);
      const stop = logger.lines.find((l) => l.msg === 'reconcile: the handler is shutting down; run stopped');
      expect(stop?.obj).toMatchObject({ event_id: events[2]!.id });
      expect(logger.lines.find((l) => l.msg === 'reconcile: done')?.obj).toMatchObject({ stopped_by: 'shutting_down' });
    });
  });

  it('an outcome this version does not know is a failure: listed, and the cursor does not pass it', async () => {
    const events = makeEvents(3, ['user.created']);
    const { handler } = stubHandler((_, i) => (i === 1 ? 'accepted' : 'processed'));
    await withFakeApi(events, async (api) => {
      const report = await reconcile({ handler, since: '1h', apiKey: api.apiKey, baseUrl: api.url });
      expect(report.failed.map((f) => f.id)).toEqual([events[1]!.id]);
      expect(report.failed[0]!.error.message).toContain('"accepted"');
      expect(report).toMatchObject({ scanned: 3, processedNow: 2, cursor: events[0]!.id });
    });
  });

  it("stoppedBy says why a run stopped early: 'graceMs', 'maxDurationMs'", async () => {
    const events = makeEvents(3, ['user.created']);
    const { handler } = stubHandler(() => 'processed');
    await withFakeApi(events, async (api) => {
      const young = await reconcile({ handler, since: '1h', graceMs: 60_000, apiKey: api.apiKey, baseUrl: api.url });
      expect(young).toMatchObject({ complete: false, stoppedBy: 'graceMs' });
      const short = await reconcile({
        handler,
        since: '1h',
        maxDurationMs: 1e-9,
        apiKey: api.apiKey,
        baseUrl: api.url,
      });
      expect(short).toMatchObject({ complete: false, stoppedBy: 'maxDurationMs', scanned: 1 });
    });
  });
});

describe('timer and other options are checked before any request (reconcile) or at construction (interval)', () => {
  const { handler } = countingHandler();
  const base = { handler, since: '1h', apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:9' } as const;
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['timeoutMs beyond a timer', { timeoutMs: 2 ** 31 }, /`timeoutMs` must be at most 2147483647/],
    ['retry.maxDelayMs beyond a timer', { retry: { maxDelayMs: 2 ** 31 } }, /`retry.maxDelayMs`/],
    ['retry.baseDelayMs 0', { retry: { baseDelayMs: 0 } }, /`retry.baseDelayMs` must be positive/],
    ['retry.maxRetryAfterMs beyond a timer', { retry: { maxRetryAfterMs: 2 ** 31 } }, /`retry.maxRetryAfterMs`/],
    ['graceMs beyond the 30-day retention', { graceMs: 31 * 86_400_000 }, /graceMs must be a number from 0 to 30 days/],
    ['graceMs NaN', { graceMs: Number.NaN }, /graceMs/],
    ['maxDurationMs 0', { maxDurationMs: 0 }, /maxDurationMs must be a positive number/],
    ['checkpoint', { checkpoint: 'batch' }, /checkpoint must be 'page' or 'event'/],
    ['onInvalidEvent', { onInvalidEvent: 'drop' }, /`onInvalidEvent` must be 'throw', 'skip' or a function/],
  ];

  it.each(bad)('reconcile: %s → invalid_options naming it', async (_name, patch, message) => {
    const error = await reconcile({ ...base, ...patch } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkOSReconcileError);
    expect((error as WorkOSReconcileError).code).toBe('invalid_options');
    expect((error as Error).message).toMatch(message);
  });

  it.each(bad)('reconcileOnInterval: %s → throws at construction, no timer started', (_name, patch, message) => {
    let thrown: unknown;
    try {
      const job = reconcileOnInterval({ ...base, ...patch, everyMs: 60_000, immediate: false } as never);
      void job.stop();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorkOSReconcileError);
    expect((thrown as WorkOSReconcileError).code).toBe('invalid_options');
    expect((thrown as Error).message).toMatch(message);
  });
});
