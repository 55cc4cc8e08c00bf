import { isNamedError, WorkOSEventsError } from './base.js';

/**
 * Stable error codes raised while verifying and parsing a WorkOS webhook.
 * Match on `error.code`, never on the message: messages may be reworded, codes will not.
 */
export type WorkOSWebhookErrorCode =
  /** No `WorkOS-Signature` header (or an empty one). */
  | 'missing_signature'
  /** The header is present but cannot be parsed (`t` missing/duplicated/not an integer, no `v1`, `v1` not 64 hex chars). */
  | 'malformed_signature'
  /** `t` is older than `now - toleranceMs`. */
  | 'timestamp_too_old'
  /** `t` is newer than `now + toleranceMs`. */
  | 'timestamp_too_new'
  /** No `v1` matches the HMAC of the payload under any of the secrets. */
  | 'signature_mismatch'
  /** The verified body is not JSON, or not a WorkOS event object. */
  | 'invalid_payload'
  /** A parsed object (not the raw body) was passed as `payload`. */
  | 'payload_not_raw'
  /** The event fails schema validation in `validate: 'strict'` mode. */
  | 'invalid_event'
  /** The event type is not one the library knows and unknown types were set to be rejected. */
  | 'unknown_event'
  /** The synchronous API was called where only WebCrypto is available. */
  | 'sync_unavailable'
  /**
   * `verifyWorkOSWebhookSync` with `validate: 'full' | 'strict'` before the schemas were loaded: call
   * `await preloadWorkOSEventSchemas()` at startup (or use the async `verifyWorkOSWebhook`).
   */
  | 'schemas_not_loaded';

const STATUS: Record<WorkOSWebhookErrorCode, number> = {
  missing_signature: 401,
  malformed_signature: 401,
  timestamp_too_old: 401,
  timestamp_too_new: 401,
  signature_mismatch: 401,
  invalid_payload: 400,
  payload_not_raw: 400,
  invalid_event: 400,
  unknown_event: 400,
  sync_unavailable: 500,
  schemas_not_loaded: 500,
};

/**
 * The error thrown by webhook verification (`verifyWorkOSSignature`, `verifyWorkOSWebhook`); a parse failure of a
 * verified body surfaces as one too (`invalid_payload`, `invalid_event`, `unknown_event`, the parse error as `cause`). `status` is the HTTP status an endpoint should answer.
 * Messages never contain the secret or the body.
 *
 * @example
 * ```ts
 * try {
 *   const event = await verifyWorkOSWebhook({ payload, signature, secret });
 * } catch (err) {
 *   if (err instanceof WorkOSWebhookError) return new Response(err.code, { status: err.status });
 *   throw err;
 * }
 * ```
 */
export class WorkOSWebhookError extends WorkOSEventsError<WorkOSWebhookErrorCode> {
  override readonly name = 'WorkOSWebhookError';
  /** The HTTP status an endpoint should answer: 401 for signature problems, 400 for the body, 500 for setup. */
  readonly status: number;

  constructor(code: WorkOSWebhookErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = STATUS[code];
  }
}

/**
 * True when `error` is a {@link WorkOSWebhookError} (also across duplicated copies of the library).
 *
 * @example
 * ```ts
 * catch (err) {
 *   if (isWorkOSWebhookError(err)) return res.status(err.status).send(err.code);
 *   throw err;
 * }
 * ```
 */
export function isWorkOSWebhookError(error: unknown): error is WorkOSWebhookError {
  return error instanceof WorkOSWebhookError || isNamedError(error, 'WorkOSWebhookError');
}
