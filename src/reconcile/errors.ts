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
export class WorkOSReconcileError extends Error {
  override readonly name = 'WorkOSReconcileError';
  readonly code: WorkOSReconcileErrorCode;

  constructor(code: WorkOSReconcileErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
