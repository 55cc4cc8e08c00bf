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
