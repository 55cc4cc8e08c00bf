import type { OnInvalidEvent } from '../events-api/invalid-event.js';
import { resolveInvalidPolicy, resolveTiming } from '../events-api/options.js';
import { EVENTS_API_RETENTION_MS } from './duration.js';
import { WorkOSReconcileError } from './errors.js';
import type { ReconcileOptions } from './reconcile.js';

/** The options `reconcile` reads itself, checked, with their defaults. */
export interface CheckedReconcileOptions {
  graceMs: number;
  maxDurationMs: number | undefined;
  checkpoint: 'page' | 'event';
  onInvalidEvent: OnInvalidEvent;
}

/**
 * Checks what can be checked before any request: `reconcile` calls it first, `reconcileOnInterval` at construction
 * (so a bad option fails there, not in every tick's `onError`). Includes the Events API timer options (`timeoutMs`,
 * `retry.*`), whose own errors are turned into `invalid_options`.
 */
export function checkReconcileOptions(options: ReconcileOptions): CheckedReconcileOptions {
  if (options === null || typeof options !== 'object') {
    throw new WorkOSReconcileError('invalid_options', 'options are required (at least `handler` and `since`).');
  }
  const { handler, graceMs = 0, maxDurationMs, checkpoint = 'page' } = options;
  if (!handler || typeof handler.process !== 'function') {
    throw new WorkOSReconcileError('invalid_options', 'handler must be a createWorkOSWebhookHandler() instance.');
  }
  // Beyond the retention every retained event is "too young": each run would stop before the first one.
  if (!(typeof graceMs === 'number' && graceMs >= 0 && graceMs <= EVENTS_API_RETENTION_MS)) {
    throw new WorkOSReconcileError('invalid_options', 'graceMs must be a number from 0 to 30 days (2592000000 ms).');
  }
  if (checkpoint !== 'page' && checkpoint !== 'event') {
    throw new WorkOSReconcileError('invalid_options', "checkpoint must be 'page' or 'event'.");
  }
  if (maxDurationMs !== undefined && !(typeof maxDurationMs === 'number' && maxDurationMs > 0)) {
    throw new WorkOSReconcileError('invalid_options', 'maxDurationMs must be a positive number.');
  }
  let onInvalidEvent: OnInvalidEvent;
  try {
    resolveTiming('reconcile', options, false);
    onInvalidEvent = resolveInvalidPolicy('reconcile', { onInvalidEvent: options.onInvalidEvent }, true).onInvalidEvent;
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new WorkOSReconcileError('invalid_options', error.message.replace(/^reconcile: /, ''), { cause: error });
  }
  return { graceMs, maxDurationMs, checkpoint, onInvalidEvent };
}
