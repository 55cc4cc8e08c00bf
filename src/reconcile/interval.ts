import type { WorkOSWebhookHandler } from '../handler/types.js';
import { checkReconcileOptions } from './check-options.js';
import { WorkOSReconcileError } from './errors.js';
import { type ReconcileHandler, type ReconcileOptions, type ReconcileReport, reconcile } from './reconcile.js';

/**
 * The default key of the cross-instance lock, held in the handler's idempotency store.
 *
 * @example
 * ```ts
 * // A cron script taking the same lock as reconcileOnInterval:
 * const lock = await webhooks.store.claim(RECONCILE_LOCK_KEY, { leaseMs: 600_000 });
 * ```
 */
export const RECONCILE_LOCK_KEY = 'workos-events:reconcile-lock';

/**
 * What one tick of {@link reconcileOnInterval} did.
 *
 * @example
 * ```ts
 * const tick: ReconcileTick = await job.runNow();
 * if (tick.status === 'completed') console.log(tick.report.processedNow);
 * ```
 */
export type ReconcileTick =
  | { status: 'completed'; report: ReconcileReport }
  /** `running`: a run of this controller was still going; `locked`: another instance holds the lock; `stopped`. */
  | { status: 'skipped'; reason: 'running' | 'locked' | 'stopped' }
  | { status: 'failed'; error: Error };

/**
 * Options of {@link reconcileOnInterval}: those of `reconcile`, plus the schedule and the lock.
 *
 * @example
 * ```ts
 * const options: ReconcileOnIntervalOptions = { handler: webhooks, since: '1h', everyMs: 300_000, lockLeaseMs: 600_000 };
 * ```
 */
export interface ReconcileOnIntervalOptions extends ReconcileOptions {
  /** The handler; its `store` also holds the lock that keeps two instances from reconciling at once. */
  handler: ReconcileHandler & Pick<WorkOSWebhookHandler, 'store'>;
  /** Time between the end of one run and the start of the next. */
  everyMs: number;
  /** Run once right away instead of waiting `everyMs` first. Default true. */
  immediate?: boolean;
  /** Key of the lock in the store. Default {@link RECONCILE_LOCK_KEY}; use one per independent reconcile job. */
  lockKey?: string;
  /**
   * How long the lock is held at most. A run stops reading (`complete: false`) a margin before the lease ends,
   * so it never outlives its lock and two instances never overlap. Default 10 minutes.
   */
  lockLeaseMs?: number;
  /** Let the process exit while only this timer is pending (like `timer.unref()`). Default false. */
  unref?: boolean;
  /** After each completed run. */
  onReport?: (report: ReconcileReport) => void;
  /** A run failed (API down, cursor store error, …). Default: logged with the handler's logger. */
  onError?: (error: Error) => void;
  /** A tick was skipped (another instance holds the lock, or the previous run is still going). */
  onSkip?: (reason: 'running' | 'locked') => void;
}

/**
 * Controls a {@link reconcileOnInterval} schedule.
 *
 * @example
 * ```ts
 * const job: ReconcileController = reconcileOnInterval({ handler: webhooks, since: '1h', everyMs: 300_000 });
 * process.once('SIGTERM', () => void job.stop());
 * ```
 */
export interface ReconcileController {
  /** Runs now (if no run is going and the lock is free) and resolves with what happened. */
  runNow(): Promise<ReconcileTick>;
  /** Stops the schedule: no further run, the current one is aborted at the next event, and no timer remains. */
  stop(): Promise<void>;
  /** True while a run of this controller is going. */
  readonly running: boolean;
  /** True once `stop()` was called (or `signal` aborted). */
  readonly stopped: boolean;
}

const DEFAULT_LOCK_LEASE_MS = 10 * 60_000;

/**
 * Runs {@link reconcile} every `everyMs` (measured from the end of a run, so runs never pile up). Overlap is
 * prevented in this process (a tick while a run is going is skipped) and across instances by a lock claimed in the
 * handler's idempotency store (`handler.store.claim(lockKey, { leaseMs })`, released after the run): an instance
 * that finds the lock held skips its tick. Errors go to `onError` (default: the handler's logger), never lost and
 * never thrown out of a timer.
 *
 * @example
 * ```ts
 * import { FileCursorStore, reconcileOnInterval } from 'workos-events';
 *
 * const job = reconcileOnInterval({
 *   handler: webhooks,
 *   since: new FileCursorStore('.workos-cursor'),
 *   apiKey: process.env.WORKOS_API_KEY!,
 *   everyMs: 5 * 60_000,
 *   onReport: (r) => metrics.gauge('workos.missed_by_webhooks', r.processedNow),
 * });
 * process.on('SIGTERM', () => void job.stop());
 * ```
 */
export function reconcileOnInterval(options: ReconcileOnIntervalOptions): ReconcileController {
  const {
    everyMs,
    immediate = true,
    lockKey = RECONCILE_LOCK_KEY,
    lockLeaseMs = DEFAULT_LOCK_LEASE_MS,
    unref = false,
    onReport,
    onError,
    onSkip,
    signal: outerSignal,
    ...reconcileOptions
  } = options;
  // setTimeout fires after 1 ms for a delay beyond 2^31 - 1 ms: such a schedule would reconcile back to back.
  if (!(Number.isFinite(everyMs) && everyMs > 0 && everyMs <= 2_147_483_647)) {
    throw new WorkOSReconcileError(
      'invalid_options',
      'everyMs must be a positive number of milliseconds, at most 2147483647 (about 24.8 days, the longest timer).',
    );
  }
  if (!(Number.isFinite(lockLeaseMs) && lockLeaseMs >= 1000)) {
    throw new WorkOSReconcileError('invalid_options', 'lockLeaseMs must be at least 1000 ms.');
  }
  // The run's own options too: a mistake fails here, not in every tick's onError.
  checkReconcileOptions(reconcileOptions);
  const store = options.handler?.store;
  if (!store || typeof store.claim !== 'function') {
    throw new WorkOSReconcileError('invalid_options', 'handler.store is required for the reconcile lock.');
  }
  // Stop reading early enough that the in-flight event can finish before the lease runs out.
  const margin = Math.min(Math.max(lockLeaseMs / 5, 500), 60_000);
  const maxDurationMs = Math.min(reconcileOptions.maxDurationMs ?? Number.POSITIVE_INFINITY, lockLeaseMs - margin);

  const stopController = new AbortController();
  const signal = outerSignal ? AbortSignal.any([outerSignal, stopController.signal]) : stopController.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<ReconcileTick> | undefined;

  const logger = options.logger ?? options.handler.logger;
  const report = (error: Error) => {
    if (onError) {
      try {
        onError(error);
      } catch {
        // A throwing onError must not kill the schedule.
      }
    } else if (logger?.error) {
      try {
        logger.error(
          { source: 'workos', reconcile: true, err: { name: error.name, message: error.message } },
          'reconcile: run failed',
        );
      } catch {
        // Logging is best effort.
      }
    } else {
      console.error(`workos-events: reconcile run failed: ${error.message}`);
    }
  };

  const runOnce = async (): Promise<ReconcileTick> => {
    const claim = await store.claim(lockKey, { leaseMs: lockLeaseMs });
    if (claim.status !== 'claimed') {
      onSkip?.('locked');
      return { status: 'skipped', reason: 'locked' };
    }
    try {
      const result = await reconcile({ ...reconcileOptions, maxDurationMs, signal });
      onReport?.(result);
      return { status: 'completed', report: result };
    } finally {
      await store.release(lockKey, claim.token);
    }
  };

  const schedule = () => {
    if (signal.aborted) return;
    timer = setTimeout(tick, everyMs);
    if (unref) timer.unref?.();
  };

  const runNow = (): Promise<ReconcileTick> => {
    if (signal.aborted) return Promise.resolve({ status: 'skipped', reason: 'stopped' });
    if (current) {
      onSkip?.('running');
      return Promise.resolve({ status: 'skipped', reason: 'running' });
    }
    current = runOnce()
      .catch((thrown: unknown): ReconcileTick => {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        // An abort caused by stop() is the expected way out, not a failure.
        if (!stopController.signal.aborted) report(error);
        return { status: 'failed', error };
      })
      .finally(() => {
        current = undefined;
      });
    return current;
  };

  function tick() {
    timer = undefined;
    void runNow().then(schedule);
  }

  const stop = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!stopController.signal.aborted) stopController.abort(new DOMException('reconcile stopped', 'AbortError'));
    await current;
  };
  signal.addEventListener('abort', () => void stop(), { once: true });

  if (immediate) tick();
  else schedule();

  return {
    runNow,
    stop,
    get running() {
      return current !== undefined;
    },
    get stopped() {
      return signal.aborted;
    },
  };
}
