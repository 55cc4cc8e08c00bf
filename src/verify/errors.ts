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
  | 'sync_unavailable';

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
};

/**
 * The one error type thrown by verification and parsing. `status` is the HTTP status an endpoint should answer.
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
export class WorkOSWebhookError extends Error {
  override readonly name = 'WorkOSWebhookError';
  readonly code: WorkOSWebhookErrorCode;
  readonly status: number;

  constructor(code: WorkOSWebhookErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
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
  return (
    error instanceof WorkOSWebhookError ||
    (error instanceof Error &&
      error.name === 'WorkOSWebhookError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}
