/**
 * How failed requests (429, 408, 5xx, network errors, timeouts, unreadable 2xx bodies) are retried: exponential
 * backoff with full jitter (a random delay between 0 and `min(maxDelayMs, baseDelayMs × 2^(attempt−1))`). A
 * `Retry-After` from the server (capped at `maxRetryAfterMs`) lengthens that wait, never shortens it: `Retry-After: 0`
 * or a date in the past still waits the backoff, so a server saying "now" cannot make a client spin.
 *
 * @example
 * ```ts
 * const stream = listEvents({ events: ['user.created'], retry: { maxRetries: 10, maxDelayMs: 60_000 } });
 * ```
 */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 5 for `listEvents`, `Infinity` for `pollEvents`. 0 disables. */
  maxRetries?: number;
  /** First backoff ceiling in ms (more than 0). Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms (more than 0). Default 30 000. */
  maxDelayMs?: number;
  /** Largest `Retry-After` honoured, in ms (a longer one is cut to this; 0 ignores the header). Default 60 000. */
  maxRetryAfterMs?: number;
  /** Called before each retry's wait, e.g. to log it. */
  onRetry?: (info: RetryInfo) => void;
}

/**
 * What {@link RetryPolicy.onRetry} receives.
 *
 * @example
 * ```ts
 * const retry = { onRetry: (i: RetryInfo) => console.warn(`retry #${i.attempt} in ${i.delayMs} ms`, i.error.message) };
 * ```
 */
export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** The wait before it. */
  delayMs: number;
  /** Why the previous attempt failed. */
  error: Error;
}

export interface ResolvedRetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  onRetry: ((info: RetryInfo) => void) | undefined;
}

/** HTTP statuses worth another attempt. 400/401/403/404/422 (and other 4xx) are final. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Parses a `Retry-After` header: delay-seconds (`"120"`, fractions accepted) or an HTTP date. Returns ms
 * (0 for a date in the past), or undefined when absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter('2'); // 2000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT'); // 0 (in the past)
 * parseRetryAfter(response.headers.get('retry-after')); // undefined when absent
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^[+-]?\d/.test(text)) return undefined; // negative or malformed number, not a date
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The wait before retry number `attempt` (1-based): the full-jitter backoff, or the server's `Retry-After` (capped)
 * when that is longer. The backoff is a floor: a `Retry-After` of 0 never means "retry at once".
 */
export function retryDelayMs(
  policy: ResolvedRetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const backoff = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}
