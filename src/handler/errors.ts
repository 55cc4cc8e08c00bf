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
export class WorkOSWebhookConfigError extends Error {
  override readonly name = 'WorkOSWebhookConfigError';
  readonly code: WorkOSWebhookConfigErrorCode;

  constructor(code: WorkOSWebhookConfigErrorCode, message: string) {
    super(message);
    this.code = code;
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
export class WorkOSHandlerError extends Error {
  override readonly name = 'WorkOSHandlerError';
  readonly code: WorkOSHandlerErrorCode;

  constructor(code: WorkOSHandlerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
