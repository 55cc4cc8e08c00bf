import { eventCreatedAt, type WorkOSEvent } from '../events/index.js';
import {
  type CursorStore,
  type InvalidEventHook,
  type InvalidEventInfo,
  type ListEventsOptions,
  listEvents,
  type OnInvalidEvent,
} from '../events-api/index.js';
import type { WorkOSLogger } from '../handler/logger.js';
import type { ProcessOutcome, WorkOSWebhookHandler } from '../handler/types.js';
import { checkReconcileOptions } from './check-options.js';
import { resolveSince, type WorkOSDuration } from './duration.js';
import { WorkOSReconcileError } from './errors.js';

/**
 * The parts of a `createWorkOSWebhookHandler` handler that reconciliation uses (its `logger`, when it exposes one,
 * receives the reconcile log lines).
 *
 * @example
 * ```ts
 * const handler: ReconcileHandler = createWorkOSWebhookHandler({ store });
 * ```
 */
export type ReconcileHandler = Pick<WorkOSWebhookHandler, 'process' | 'handledEventNames'> & {
  readonly logger?: WorkOSLogger;
};

/**
 * One event the handler failed on during a run. `event` is the event type, as in the wire envelope.
 *
 * @example
 * ```ts
 * for (const f of report.failed) logger.error({ event_id: f.id, event_type: f.event, err: f.error }, 'reconcile failure');
 * ```
 */
export interface ReconcileFailure {
  id: string;
  event: string;
  error: Error;
}

/**
 * Counters of a run so far (passed to `onProgress` after each event).
 *
 * @example
 * ```ts
 * await reconcile({ handler, since: '24h', onProgress: (p: ReconcileProgress) => bar.update(p.scanned) });
 * ```
 */
export interface ReconcileProgress {
  /** Events read from the Events API. */
  scanned: number;
  /** Already completed before (by a webhook delivery or an earlier run): nothing ran. */
  alreadyProcessed: number;
  /** Processed by this run: WorkOS's webhook never reached the handler (or failed every retry so far). */
  processedNow: number;
  /** Completed without running anything: no listener for the event's type (while listeners for other types exist). */
  ignored: number;
  /** Handler failures (claims released, so a webhook retry or the next run can try again). */
  failed: number;
  /** Being processed right now by someone else (e.g. a webhook delivery holding the claim). */
  inProgress: number;
  /** Skipped because newer data was already applied (the handler's staleness check). */
  skippedStale: number;
  /** Items that did not parse, skipped (`onInvalidEvent`); not counted in `scanned`. */
  invalid: number;
  /** The last event counted in `scanned`. */
  lastEventId: string | undefined;
}

/**
 * Why a run stopped before the end of the stream (`complete: false`): `graceMs` (it reached events young enough to
 * leave to the webhooks), `maxDurationMs` (its time was spent), `shutting_down` (the handler is draining: nothing more
 * can run, so the run stopped at once without settling that event).
 *
 * @example
 * ```ts
 * if (report.stoppedBy === 'shutting_down') logger.info('reconcile stopped by shutdown; the next run continues');
 * ```
 */
export type ReconcileStopReason = 'graceMs' | 'maxDurationMs' | 'shutting_down';

/**
 * What `reconcile` found and did.
 *
 * @example
 * ```ts
 * const report: ReconcileReport = await reconcile({ handler, since: '24h' });
 * if (report.processedNow > 0) alert(`${report.processedNow} WorkOS events were missed by webhooks`);
 * ```
 */
export interface ReconcileReport extends Omit<ReconcileProgress, 'failed' | 'invalid'> {
  failed: ReconcileFailure[];
  /**
   * Items that did not parse (e.g. `data: null`, or spec drift under `validate: 'strict'`), skipped so they do not
   * block the events after them: id (undefined when the item has none), code and message, never a payload value.
   */
  invalid: InvalidEventInfo[];
  /** Wall time of the run. */
  durationMs: number;
  /** True when the stream was read to its end (false when something stopped it earlier: see `stoppedBy`). */
  complete: boolean;
  /** Why the run stopped early; undefined when `complete`. */
  stoppedBy: ReconcileStopReason | undefined;
  /**
   * The cursor a next run should continue from: the id of the last event before the first one that is not settled
   * (failed or in progress). With a cursor store as `since`, this is what was saved.
   */
  cursor: string | undefined;
}

/**
 * Options of {@link reconcile}. Any other `listEvents` option (`baseUrl`, `limit`, `retry`, `fetch`, …) passes through.
 *
 * @example
 * ```ts
 * const options: ReconcileOptions = { handler: webhooks, since: new FileCursorStore('var/cursor'), graceMs: 60_000 };
 * ```
 */
export interface ReconcileOptions
  extends Omit<ListEventsOptions, 'events' | 'rangeStart' | 'after' | 'cursorStore' | 'checkpoint'> {
  /** The same handler instance your webhook route uses: same store, same handlers. */
  handler: ReconcileHandler;
  /**
   * Where to start: a Date, a duration back from now (`'24h'`, `'30m'`, `'7d'`; at most 30 days), or a cursor store
   * to continue from (progress is saved to it as events settle).
   */
  since: Date | WorkOSDuration | CursorStore;
  /**
   * What to do with an item that does not parse. Default `'skip'`: logged at error level (id, code, message), listed
   * in the report's `invalid`, and the cursor moves past it so the events after it are processed. A function is
   * called with the raw item and the error when its page is read, then the item is skipped the same way. `'throw'`
   * stops the run with a `WorkOSWebhookError` naming the item (progress up to its page is saved).
   */
  onInvalidEvent?: OnInvalidEvent;
  /** Event types to ask for. Default: the types the handler has handlers for (`handler.handledEventNames()`). */
  events?: readonly string[];
  /** With a cursor store holding no cursor yet: where the first run starts. Default `'24h'`. */
  initialSince?: Date | WorkOSDuration;
  /**
   * Leave events younger than this to the webhooks (a delivery may still be in flight) and stop there. Default 0.
   * A value of about a minute keeps "missed by webhooks" free of events that were merely not delivered yet. At most
   * 30 days (the Events API's retention).
   */
  graceMs?: number;
  /** Stop reading (not an error: `complete: false`) once a run has taken this long. Default: no limit. */
  maxDurationMs?: number;
  /** Called after each event with the counters so far. */
  onProgress?: (progress: ReconcileProgress) => void;
  /** Where the reconcile lines go. Default: the handler's `logger`, if it exposes one. */
  logger?: WorkOSLogger;
  /**
   * With a cursor store: save progress once per page (default; after a crash at most one page is re-read, as cheap
   * duplicates) or after every event. Progress is also saved when the run ends, stops early or is aborted.
   */
  checkpoint?: 'page' | 'event';
}

function isCursorStore(value: unknown): value is CursorStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    typeof (value as CursorStore).load === 'function' &&
    typeof (value as CursorStore).save === 'function'
  );
}

function log(
  logger: WorkOSLogger | undefined,
  level: 'info' | 'warn' | 'error',
  fields: Record<string, unknown>,
  message: string,
): void {
  try {
    logger?.[level]?.(fields, message);
  } catch {
    // Logging is best effort: a broken logger must not stop a reconcile run.
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function isYoungerThan(event: { created_at: string }, cutoff: number): boolean {
  try {
    return eventCreatedAt(event).getTime() > cutoff;
  } catch {
    return false; // an unreadable created_at cannot be "in flight" evidence: process it
  }
}

/**
 * Reads events from the Events API and runs each through `handler.process(event, { source: 'api' })`: the same
 * claim → dispatch → complete path as a webhook delivery, so an event delivered both ways runs its handler once.
 * Events processed now were missed by webhooks: each is logged (`warn`, with `source: 'workos'`, `event_type`,
 * `event_id`) and counted in `processedNow`. A handler failure does not stop the run: it is listed in `failed`
 * (the handler released its claim), and a cursor store never moves past it, so the next run retries it. An item
 * that does not parse is skipped and listed in `invalid` (see `onInvalidEvent`); a handler that is shutting down
 * stops the run at once (`stoppedBy: 'shutting_down'`).
 *
 * Rejects with `signal.reason` when aborted (progress up to then is saved to a cursor store), with
 * {@link WorkOSReconcileError} for unusable options, and with the Events API client's error when the API fails.
 *
 * @example
 * ```ts
 * import { createWorkOSWebhookHandler, reconcile } from 'workos-events';
 *
 * const webhooks = createWorkOSWebhookHandler({ secret: process.env.WORKOS_WEBHOOK_SECRET!, store });
 * webhooks.on('dsync.user.created', async (event) => { await users.upsert(event.data); });
 *
 * const report = await reconcile({ handler: webhooks, since: '24h', apiKey: process.env.WORKOS_API_KEY! });
 * console.log(`${report.processedNow} events were missed by webhooks, ${report.failed.length} failed`);
 * ```
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const started = performance.now();
  const { graceMs, maxDurationMs, checkpoint, onInvalidEvent } = checkReconcileOptions(options);
  const {
    handler,
    since,
    events: requested,
    initialSince = '24h',
    graceMs: _graceMs,
    maxDurationMs: _maxDurationMs,
    checkpoint: _checkpoint,
    onInvalidEvent: _onInvalidEvent,
    onProgress,
    logger = options.handler?.logger,
    ...listOptions
  } = options;
  const { signal } = listOptions;
  const events = [...(requested ?? handler.handledEventNames())];
  if (events.length === 0) {
    throw new WorkOSReconcileError(
      'no_event_types',
      'No event types to reconcile: register handlers with handler.on(...) or pass `events`.',
    );
  }

  const cursorStore = isCursorStore(since) ? since : undefined;
  let after: string | undefined;
  let rangeStart: Date | undefined;
  if (cursorStore) {
    after = (await cursorStore.load()) ?? undefined;
    if (after === undefined) rangeStart = resolveSince(initialSince);
  } else {
    rangeStart = resolveSince(since as Date | WorkOSDuration);
  }
  signal?.throwIfAborted();

  const progress: ReconcileProgress = {
    scanned: 0,
    alreadyProcessed: 0,
    processedNow: 0,
    ignored: 0,
    failed: 0,
    inProgress: 0,
    skippedStale: 0,
    invalid: 0,
    lastEventId: undefined,
  };
  const failed: ReconcileFailure[] = [];
  const invalid: InvalidEventInfo[] = [];
  // The cursor advances only over settled events, so a failed or in-progress event is read again next run.
  let cursor = after;
  let savedCursor = after;
  let settled = true;
  let complete = true;
  let stoppedBy: ReconcileStopReason | undefined;
  const save = async () => {
    if (cursorStore && cursor !== undefined && cursor !== savedCursor) {
      await cursorStore.save(cursor);
      savedCursor = cursor;
    }
  };
  const stop = (reason: ReconcileStopReason) => {
    complete = false;
    stoppedBy = reason;
  };
  const fail = (event: WorkOSEvent, error: unknown) => {
    const err = toError(error);
    failed.push({ id: event.id, event: event.event, error: err });
    progress.failed++;
    settled = false;
    log(
      logger,
      'error',
      {
        source: 'workos',
        event_type: event.event,
        event_id: event.id,
        reconcile: true,
        err: { name: err.name, message: err.message },
      },
      'reconcile: handler failed',
    );
  };

  // Skipped items are reported here (logged through reconcile's logger, listed in `invalid`), not by the stream.
  const userHook = typeof onInvalidEvent === 'function' ? onInvalidEvent : undefined;
  const hook: InvalidEventHook = userHook ?? (() => {});
  const stream = listEvents({
    ...listOptions,
    events: events as ListEventsOptions['events'],
    ...(after !== undefined ? { after } : { rangeStart }),
    onInvalidEvent: onInvalidEvent === 'throw' ? 'throw' : hook,
  } as ListEventsOptions);

  try {
    pages: for await (const page of stream.pages()) {
      for (const item of page.invalid) {
        invalid.push(item);
        progress.invalid++;
        log(
          logger,
          'error',
          { source: 'workos', event_id: item.id, reconcile: true, code: item.code, err: { message: item.message } },
          'reconcile: invalid Events API item skipped',
        );
      }
      for (const event of page.data) {
        if (graceMs > 0 && isYoungerThan(event, Date.now() - graceMs)) {
          stop('graceMs');
          break pages;
        }
        let outcome: ProcessOutcome;
        let error: unknown;
        try {
          ({ outcome, error } = await handler.process(event, { source: 'api' }));
        } catch (thrown) {
          outcome = 'failed';
          error = thrown;
        }
        switch (outcome) {
          case 'processed':
            // WorkOS's webhook never got this one through.
            progress.processedNow++;
            log(
              logger,
              'warn',
              { source: 'workos', event_type: event.event, event_id: event.id, reconcile: true, outcome },
              'reconcile: event missed by webhooks, processed now',
            );
            break;
          case 'ignored':
            progress.ignored++;
            break;
          case 'duplicate':
            progress.alreadyProcessed++;
            break;
          case 'skipped_stale':
            progress.skippedStale++;
            break;
          case 'in_progress':
            progress.inProgress++;
            settled = false;
            break;
          case 'failed':
            fail(event, error);
            break;
          case 'shutting_down':
            // The handler is draining: nothing more can run. This event is not settled, so the cursor stays before it.
            stop('shutting_down');
            log(
              logger,
              'warn',
              { source: 'workos', event_type: event.event, event_id: event.id, reconcile: true },
              'reconcile: the handler is shutting down; run stopped',
            );
            break pages;
          default:
            // A handler from another version of the library: not settled, so it is read again next run.
            fail(
              event,
              new Error(`handler.process answered an unknown outcome ${JSON.stringify(outcome satisfies never)}.`),
            );
        }
        progress.scanned++;
        progress.lastEventId = event.id;
        if (settled) {
          cursor = event.id;
          if (checkpoint === 'event') await save();
        }
        onProgress?.({ ...progress });
        if (maxDurationMs !== undefined && performance.now() - started >= maxDurationMs) {
          stop('maxDurationMs');
          break pages;
        }
        signal?.throwIfAborted();
      }
      // A fully settled page also moves the cursor past its items of other types and its invalid items.
      if (settled && page.cursor !== undefined) cursor = page.cursor;
      await save();
    }
  } catch (error) {
    // Keep what settled even when the run is aborted or the API fails part-way; the original error wins.
    await save().catch(() => {});
    throw error;
  }
  await save();

  const report: ReconcileReport = {
    scanned: progress.scanned,
    alreadyProcessed: progress.alreadyProcessed,
    processedNow: progress.processedNow,
    ignored: progress.ignored,
    failed,
    inProgress: progress.inProgress,
    skippedStale: progress.skippedStale,
    invalid,
    lastEventId: progress.lastEventId,
    durationMs: Math.round(performance.now() - started),
    complete,
    stoppedBy,
    cursor,
  };
  log(
    logger,
    'info',
    {
      source: 'workos',
      reconcile: true,
      scanned: report.scanned,
      already_processed: report.alreadyProcessed,
      processed_now: report.processedNow,
      ignored: report.ignored,
      failed: failed.length,
      in_progress: report.inProgress,
      skipped_stale: report.skippedStale,
      invalid: invalid.length,
      duration_ms: report.durationMs,
      ...(stoppedBy ? { stopped_by: stoppedBy } : {}),
    },
    'reconcile: done',
  );
  return report;
}
