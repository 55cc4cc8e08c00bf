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
export class WorkOSQueueError extends Error {
  override readonly name = 'WorkOSQueueError';
  readonly code: WorkOSQueueErrorCode;

  constructor(code: WorkOSQueueErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
