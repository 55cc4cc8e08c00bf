import { ignoredCursorError } from './cursor-check.js';
import { WorkOSApiError, type WorkOSApiFieldError } from './errors.js';
import { isRetryableStatus, parseRetryAfter, type ResolvedRetryPolicy, retryDelayMs } from './retry.js';
import { abortReason, sleep } from './sleep.js';

/**
 * How the `events` filter is written in the query string. `comma` (default) is what the official Node and Python
 * SDKs send and what the spec describes (`events=a,b`, the comma percent-encoded); `repeat` is Ruby/Go's
 * `events=a&events=b`; `brackets` is `events[]=a&events[]=b` (the only form WorkOS's emulator reads).
 *
 * @example
 * ```ts
 * const stream = listEvents({ events: ['user.created'], baseUrl: 'http://localhost:4000', eventsEncoding: 'brackets' });
 * ```
 */
export type EventsEncoding = 'comma' | 'repeat' | 'brackets';

/**
 * The `fetch` the client calls (the global one by default).
 *
 * @example
 * ```ts
 * const fetch: FetchLike = (url, init) => {
 *   console.debug('GET', url);
 *   return globalThis.fetch(url, init);
 * };
 * ```
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface EventsQuery {
  events: readonly string[];
  organizationId?: string | undefined;
  rangeStart?: string | undefined;
  rangeEnd?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export interface ClientConfig {
  apiKey: string;
  baseUrl: string;
  fetch: FetchLike;
  timeoutMs: number;
  retry: ResolvedRetryPolicy;
  eventsEncoding: EventsEncoding;
}

/** One page as received: items still unparsed, `after` from `list_metadata`. */
export interface RawEventsPage {
  data: unknown[];
  after: string | null;
  /** `list_metadata.before` when the server sends one (the CLI emulator does; the spec's list has none). */
  before?: string | null;
}

/** Builds `/events?…` the way the official Node SDK does (`new URLSearchParams`), plus an explicit `order=asc`. */
export function eventsUrl(baseUrl: string, query: EventsQuery, encoding: EventsEncoding = 'comma'): string {
  const params = new URLSearchParams();
  if (encoding === 'comma') params.append('events', query.events.join(','));
  else for (const name of query.events) params.append(encoding === 'repeat' ? 'events' : 'events[]', name);
  if (query.organizationId) params.append('organization_id', query.organizationId);
  if (query.rangeStart) params.append('range_start', query.rangeStart);
  if (query.rangeEnd) params.append('range_end', query.rangeEnd);
  params.append('limit', String(query.limit));
  if (query.after) params.append('after', query.after);
  params.append('order', 'asc');
  return `${baseUrl.replace(/\/+$/, '')}/events?${params.toString()}`;
}

class RetryableFailure {
  constructor(
    readonly error: WorkOSApiError,
    readonly retryAfterMs: number | undefined,
  ) {}
}

/**
 * `GET /events` with the retry policy, a per-attempt timeout and the caller's abort signal. Resolves with the page,
 * rejects with a {@link WorkOSApiError} (final failure) or the signal's abort reason.
 */
export async function fetchEventsPage(
  config: ClientConfig,
  query: EventsQuery,
  signal: AbortSignal | undefined,
): Promise<RawEventsPage> {
  const url = eventsUrl(config.baseUrl, query, config.eventsEncoding);
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    const outcome = await attemptOnce(config, url, signal);
    if (!(outcome instanceof RetryableFailure)) {
      const ignored = query.after === undefined ? undefined : ignoredCursorError(query.after, outcome);
      if (ignored) throw ignored;
      return outcome;
    }
    if (attempt >= config.retry.maxRetries) throw outcome.error;
    const delayMs = retryDelayMs(config.retry, attempt + 1, outcome.retryAfterMs);
    config.retry.onRetry?.({ attempt: attempt + 1, delayMs, error: outcome.error });
    await sleep(delayMs, signal);
  }
}

async function attemptOnce(
  config: ClientConfig,
  url: string,
  signal: AbortSignal | undefined,
): Promise<RawEventsPage | RetryableFailure> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let requestId: string | undefined;
  try {
    const response = await config.fetch(url, {
      method: 'GET',
      headers: { Authorization: `Bearer ${config.apiKey}`, Accept: 'application/json' },
      signal: controller.signal,
    });
    requestId = response.headers.get('x-request-id') ?? undefined;
    const text = await response.text();
    if (response.ok) return parsePage(text, response.status, requestId);
    return httpFailure(response, text, requestId);
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (error instanceof WorkOSApiError) throw error;
    if (timedOut) {
      const e = new WorkOSApiError(`WorkOS API GET /events timed out after ${config.timeoutMs} ms.`, {
        status: 0,
        code: 'timeout',
        ...(requestId ? { requestId } : {}),
      });
      return new RetryableFailure(e, undefined);
    }
    const detail = error instanceof Error ? (causeMessage(error) ?? error.message) : String(error);
    const e = new WorkOSApiError(`WorkOS API GET /events failed: network error (${detail}).`, {
      status: 0,
      code: 'network_error',
      cause: error,
    });
    return new RetryableFailure(e, undefined);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function causeMessage(error: Error): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${error.message}: ${(cause as { code?: string }).code ?? cause.message}`;
  return undefined;
}

function parsePage(text: string, status: number, requestId: string | undefined): RawEventsPage | RetryableFailure {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const list = body as { data?: unknown; list_metadata?: { after?: unknown; before?: unknown } } | undefined;
  const after = list?.list_metadata?.after;
  const before = list?.list_metadata?.before;
  if (
    list === null ||
    typeof list !== 'object' ||
    !Array.isArray(list.data) ||
    (after !== undefined && after !== null && typeof after !== 'string')
  ) {
    // A 2xx whose body is not a list is a broken transfer (truncated JSON, a proxy page): worth another attempt.
    const e = new WorkOSApiError(`WorkOS API GET /events answered ${status} with a body that is not an event list.`, {
      status,
      code: 'invalid_response',
      ...(requestId ? { requestId } : {}),
    });
    return new RetryableFailure(e, undefined);
  }
  const page: RawEventsPage = { data: list.data, after: typeof after === 'string' && after !== '' ? after : null };
  if (before === null || typeof before === 'string') page.before = before;
  return page;
}

function httpFailure(response: Response, text: string, requestId: string | undefined): RetryableFailure {
  const status = response.status;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const obj = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  const errors = Array.isArray(obj?.errors)
    ? (obj.errors as unknown[])
        .filter((e): e is { code: string; field?: unknown } => typeof (e as { code?: unknown })?.code === 'string')
        .map(
          (e): WorkOSApiFieldError =>
            typeof e.field === 'string' ? { code: e.code, field: e.field } : { code: e.code },
        )
    : undefined;
  let message =
    typeof obj?.message === 'string'
      ? obj.message
      : typeof obj?.error_description === 'string'
        ? obj.error_description
        : typeof body === 'string'
          ? body
          : obj === undefined
            ? text.trim()
            : '';
  if (message.length > 200) message = `${message.slice(0, 200)}…`;
  if (errors?.length) message += ` (${errors.map((e) => (e.field ? `${e.field}: ${e.code}` : e.code)).join(', ')})`;
  const code =
    typeof obj?.code === 'string' ? obj.code : typeof obj?.error === 'string' ? obj.error : errors?.[0]?.code;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const error = new WorkOSApiError(
    `WorkOS API GET /events failed with ${status}${message ? `: ${message}` : ''}${requestId ? ` (request id ${requestId})` : ''}`,
    {
      status,
      ...(code ? { code } : {}),
      ...(requestId ? { requestId } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(errors?.length ? { errors } : {}),
    },
  );
  if (!isRetryableStatus(status)) throw error;
  return new RetryableFailure(error, retryAfterMs);
}
