import { isNamedError, WorkOSEventsError } from './base.js';

/**
 * Stable codes of {@link WorkOSEventParseError}:
 * - `invalid_payload`: not a JSON object, or the envelope (`id`, `event`, `data`, `created_at`) is invalid;
 * - `invalid_event`: `validate: 'strict'` and the event deviates from the WorkOS spec (or `eventCreatedAt` got a
 *   string that is not a timestamp);
 * - `unknown_event`: an event type the library does not know, with `rejectUnknownEvents: true`;
 * - `schemas_not_loaded`: a synchronous call needed the event schemas (`validate: 'full' | 'strict'`) before they
 *   were loaded: call `await preloadWorkOSEventSchemas()` once at startup.
 *
 * @example
 * ```ts
 * const code: WorkOSEventParseErrorCode = 'invalid_event';
 * ```
 */
export type WorkOSEventParseErrorCode = 'invalid_payload' | 'invalid_event' | 'unknown_event' | 'schemas_not_loaded';

const STATUS: Record<WorkOSEventParseErrorCode, number> = {
  invalid_payload: 400,
  invalid_event: 400,
  unknown_event: 400,
  schemas_not_loaded: 500,
};

/**
 * Thrown by `parseWorkOSEvent` (and for Events API items that fail validation) when a value is not an acceptable
 * WorkOS event. Messages name paths and kinds of deviation, never values. `status` is the HTTP status an endpoint
 * would answer (400, or 500 for `schemas_not_loaded`). Webhook verification wraps it in a `WorkOSWebhookError`
 * with the same code (this error as `cause`).
 *
 * @example
 * ```ts
 * try {
 *   parseWorkOSEvent(JSON.parse(body), { validate: 'strict' });
 * } catch (err) {
 *   if (isWorkOSEventParseError(err) && err.code === 'invalid_event') console.warn(err.message);
 * }
 * ```
 */
export class WorkOSEventParseError extends WorkOSEventsError<WorkOSEventParseErrorCode> {
  override readonly name = 'WorkOSEventParseError';
  /** 400, or 500 for `schemas_not_loaded` (a setup problem, not a bad event). */
  readonly status: number;

  constructor(code: WorkOSEventParseErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = STATUS[code];
  }
}

/**
 * True when `error` is a {@link WorkOSEventParseError} (also across duplicated copies of the library).
 *
 * @example
 * ```ts
 * if (isWorkOSEventParseError(err)) console.warn('not a WorkOS event:', err.code);
 * ```
 */
export function isWorkOSEventParseError(error: unknown): error is WorkOSEventParseError {
  return error instanceof WorkOSEventParseError || isNamedError(error, 'WorkOSEventParseError');
}
