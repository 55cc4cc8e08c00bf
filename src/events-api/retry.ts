/**
 * How failed requests (429, 408, 5xx, network errors, timeouts, unreadable 2xx bodies) are retried: exponential
 * backoff with full jitter (a random delay between 0 and `min(maxDelayMs, baseDelayMs × 2^attempt)`), or exactly
 * the server's `Retry-After` when it sends one (capped at `maxRetryAfterMs`).
 *
 * @example
 * ```ts
 * const stream = listEvents({ events: ['user.created'], retry: { maxRetries: 10, maxDelayMs: 60_000 } });
 * ```
 */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 5 for `listEvents`, `Infinity` for `pollEvents`. 0 disables. */
  maxRetries?: number;
  /** First backoff ceiling in ms. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 30 000. */
  maxDelayMs?: number;
  /** Largest `Retry-After` honoured, in ms (a longer one is cut to this). Default 60 000. */
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

/** The wait before retry number `attempt` (1-based): `Retry-After` when given, else full-jitter backoff. */
export function retryDelayMs(
  policy: ResolvedRetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
