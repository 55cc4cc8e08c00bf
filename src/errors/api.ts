import { isNamedError, WorkOSEventsError } from './base.js';

/**
 * Why a request to the WorkOS API failed, for errors that did not come with a server-provided code:
 * `network_error` (connection refused/reset), `timeout` (no answer within `timeoutMs`), `invalid_response`
 * (the body of a 2xx answer is not the JSON list we expect, e.g. truncated), `cursor_not_found` (the server did not
 * know the `after` event and listed from the beginning, as WorkOS's CLI emulator does; not retried), `http_error` (an
 * HTTP error answer whose body has no code). For HTTP errors `code` is the server's own code when its body has one
 * (e.g. `required` for a 422 on a missing `events`).
 *
 * @example
 * ```ts
 * const code: WorkOSApiClientErrorCode | string | undefined = isWorkOSApiError(err) ? err.code : undefined;
 * if (code === 'cursor_not_found') console.error('the saved cursor is unknown to this server:', err.message);
 * ```
 */
export type WorkOSApiClientErrorCode =
  | 'network_error'
  | 'timeout'
  | 'invalid_response'
  | 'cursor_not_found'
  | 'http_error';

/** One field-level problem reported by a 422 answer. */
export interface WorkOSApiFieldError {
  code: string;
  field?: string;
}

/**
 * A failed call to the WorkOS API that was not (or no longer) retried: a 400/401/403/404/422 answer, or a
 * 429/5xx/network error/timeout that outlived the retry policy. `status` is the HTTP status (0 when there was no
 * HTTP answer). The message carries the server's message and never the API key or a response body beyond it.
 *
 * @example
 * ```ts
 * try {
 *   for await (const event of listEvents({ events: ['user.created'] })) handle(event);
 * } catch (err) {
 *   if (err instanceof WorkOSApiError && err.status === 401) console.error('bad WORKOS_API_KEY', err.requestId);
 *   else throw err;
 * }
 * ```
 */
export class WorkOSApiError extends WorkOSEventsError {
  override readonly name = 'WorkOSApiError';
  /** HTTP status, or 0 when no HTTP answer was received (network error, timeout). */
  readonly status: number;
  /** The `x-request-id` response header, to quote to WorkOS support. */
  readonly requestId?: string;
  /** The delay the server asked for with `Retry-After`, in milliseconds (429/503). */
  readonly retryAfterMs?: number;
  /** Field errors of a 422 answer. */
  readonly errors?: WorkOSApiFieldError[];

  constructor(
    message: string,
    init: {
      status: number;
      code?: string;
      requestId?: string;
      retryAfterMs?: number;
      errors?: WorkOSApiFieldError[];
      cause?: unknown;
    },
  ) {
    super(init.code ?? 'http_error', message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.errors !== undefined) this.errors = init.errors;
  }
}

/**
 * True when `error` is a {@link WorkOSApiError} (also across duplicated copies of the library).
 *
 * @example
 * ```ts
 * if (isWorkOSApiError(err) && err.status === 429) console.warn('rate limited, request', err.requestId);
 * ```
 */
export function isWorkOSApiError(error: unknown): error is WorkOSApiError {
  return error instanceof WorkOSApiError || isNamedError(error, 'WorkOSApiError');
}
