import { WorkOSEventsError } from './base.js';

/**
 * Codes of {@link WorkOSWebhookConfigError}: the handler was configured in a way that cannot work.
 *
 * @example
 * ```ts
 * if (err instanceof WorkOSWebhookConfigError && err.code === 'missing_secret') process.exit(1);
 * ```
 */
export type WorkOSWebhookConfigErrorCode = 'missing_secret' | 'invalid_option';

/**
 * Thrown by `createWorkOSWebhookHandler` (at construction, never per request) when the configuration cannot work,
 * e.g. no secret was given and `WORKOS_WEBHOOK_SECRET` is not set. The message names the fix, never a secret value.
 *
 * @example
 * ```ts
 * try {
 *   createWorkOSWebhookHandler({ secret: '' });
 * } catch (err) {
 *   if (err instanceof WorkOSWebhookConfigError) console.error(err.code, err.message); // 'missing_secret'
 * }
 * ```
 */
export class WorkOSWebhookConfigError extends WorkOSEventsError<WorkOSWebhookConfigErrorCode> {
  override readonly name = 'WorkOSWebhookConfigError';

  constructor(code: WorkOSWebhookConfigErrorCode, message: string) {
    super(code, message);
  }
}

/**
 * Codes of {@link WorkOSHandlerError}.
 * - `no_listeners`: the handler has no listener at all, so nothing may be acknowledged or completed;
 * - `store_unavailable`: the idempotency store failed (the original error is `cause`);
 * - `shutting_down`: `drain()` gave up on the work (the abort reason of `ctx.signal`);
 * - `enqueue_timeout`: the queue did not take the event within `enqueueTimeoutMs`.
 *
 * @example
 * ```ts
 * if (result.error instanceof WorkOSHandlerError && result.error.code === 'no_listeners') registerListeners();
 * ```
 */
export type WorkOSHandlerErrorCode = 'no_listeners' | 'store_unavailable' | 'shutting_down' | 'enqueue_timeout';

/**
 * A failure of the handler's own machinery (not of your listener), as found in `ProcessResult.error`, in `onFailed`
 * and as the abort reason of `ctx.signal`. The underlying error, if any, is `cause`.
 *
 * @example
 * ```ts
 * const result = await webhooks.process(event);
 * if (result.error instanceof WorkOSHandlerError && result.error.code === 'store_unavailable') console.error(result.error.cause);
 * ```
 */
export class WorkOSHandlerError extends WorkOSEventsError<WorkOSHandlerErrorCode> {
  override readonly name = 'WorkOSHandlerError';

  constructor(code: WorkOSHandlerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * Stable codes of {@link WorkOSReconcileError}. Match on `code`, never on the message.
 * - `invalid_since`: `since` is neither a Date, a duration like `'24h'` nor a cursor store.
 * - `since_out_of_range`: `since` lies beyond the Events API's 30-day window, or in the future.
 * - `no_event_types`: no event types to ask for (none given and the handler handles none).
 * - `invalid_options`: another option is out of range (e.g. `everyMs` not a positive number, a timer option above
 *   2 147 483 647 ms); the message names the option.
 *
 * @example
 * ```ts
 * const code: WorkOSReconcileErrorCode = 'since_out_of_range';
 * ```
 */
export type WorkOSReconcileErrorCode = 'invalid_since' | 'since_out_of_range' | 'no_event_types' | 'invalid_options';

/**
 * Thrown by `reconcile` / `reconcileOnInterval` for options that cannot work, before any request is made.
 *
 * @example
 * ```ts
 * try {
 *   await reconcile({ handler, since: '60d', apiKey });
 * } catch (err) {
 *   if (err instanceof WorkOSReconcileError && err.code === 'since_out_of_range') console.error(err.message);
 * }
 * ```
 */
export class WorkOSReconcileError extends WorkOSEventsError<WorkOSReconcileErrorCode> {
  override readonly name = 'WorkOSReconcileError';

  constructor(code: WorkOSReconcileErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * Codes of {@link WorkOSQueueError}:
 * - `invalid_option`: `bullmqQueue`, `createBullMQWorker`, `pgBossQueue` or `workPgBoss` got an option that cannot work;
 * - `invalid_job_data`: a job's data is not a WorkOS event (someone else wrote to the queue): it is failed for good,
 *   never retried;
 * - `queue_policy_mismatch`: the pg-boss queue exists with a policy other than `exclusive`, so one job per event id
 *   cannot be guaranteed.
 *
 * @example
 * ```ts
 * if (err instanceof WorkOSQueueError && err.code === 'queue_policy_mismatch') console.error(err.message);
 * ```
 */
export type WorkOSQueueErrorCode = 'invalid_option' | 'invalid_job_data' | 'queue_policy_mismatch';

/**
 * An error of the queue integrations (`workos-events/queues/bullmq`, `workos-events/queues/pg-boss`). The message
 * names the fix; it never holds an event payload.
 *
 * @example
 * ```ts
 * try {
 *   await workPgBoss(webhooks, boss, { name: 'workos-events' });
 * } catch (err) {
 *   if (err instanceof WorkOSQueueError) console.error(err.code, err.message);
 * }
 * ```
 */
export class WorkOSQueueError extends WorkOSEventsError<WorkOSQueueErrorCode> {
  override readonly name = 'WorkOSQueueError';

  constructor(code: WorkOSQueueErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
