import type { parseWorkOSEvent, WorkOSEventName } from '../events/index.js';
import type { ClientConfig, EventsEncoding, FetchLike } from './client.js';
import type { CursorStore } from './cursor-store.js';
import type { EventsApiLogger, InvalidEventPolicy, OnInvalidEvent } from './invalid-event.js';
import type { ResolvedRetryPolicy, RetryPolicy } from './retry.js';

/**
 * The `validate` modes of `parseWorkOSEvent`, applied to every item.
 *
 * @example
 * ```ts
 * const validate: EventsApiValidateMode = 'strict';
 * ```
 */
export type EventsApiValidateMode = NonNullable<NonNullable<Parameters<typeof parseWorkOSEvent>[1]>['validate']>;

/**
 * The parts of an `@workos-inc/node` `WorkOS` instance we read: its API key (`key`) and base URL (`baseURL`,
 * e.g. `https://api.workos.com`). Any object with these works.
 *
 * @example
 * ```ts
 * import { WorkOS } from '@workos-inc/node';
 * const workos: WorkOSClientLike = new WorkOS(process.env.WORKOS_API_KEY);
 * const stream = listEvents({ workos, events: ['user.created'] });
 * ```
 */
export interface WorkOSClientLike {
  readonly key?: string | undefined;
  readonly baseURL?: string | undefined;
}

/**
 * Options of {@link listEvents}. Only `events` is required; the API key comes from `apiKey`, else `workos`, else the
 * `WORKOS_API_KEY` environment variable.
 *
 * @example
 * ```ts
 * const options: ListEventsOptions = {
 *   events: ['dsync.user.created', 'dsync.user.updated'],
 *   rangeStart: new Date(Date.now() - 24 * 3600 * 1000),
 *   cursorStore: new FileCursorStore('./workos.cursor'),
 * };
 * ```
 */
export interface ListEventsOptions {
  /** Event types to list (at least one: the API demands it). Items of other types are never yielded. */
  events: readonly (WorkOSEventName | (string & {}))[];
  /** API key (`sk_…`). Default: `workos`'s key, else `process.env.WORKOS_API_KEY`. */
  apiKey?: string;
  /** Default: `workos`'s base URL, else `https://api.workos.com`. */
  baseUrl?: string;
  /** An existing `WorkOS` SDK instance to take the API key and base URL from. */
  workos?: WorkOSClientLike;
  /** Only events of this organization. */
  organizationId?: string;
  /** Events created at or after this instant (first request only; later requests continue with `after`). */
  rangeStart?: Date | string;
  /** Events created up to this instant. */
  rangeEnd?: Date | string;
  /** Start after this event id. A cursor saved in `cursorStore` takes precedence. Exclusive with `rangeStart`. */
  after?: string;
  /** Page size, 1–100. Default 100. */
  limit?: number;
  /** Stops the iteration: the in-flight request is aborted, a pending wait interrupted, and the iterator throws the signal's reason. */
  signal?: AbortSignal;
  /** The fetch implementation. Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Retries of 429/408/5xx/network errors/timeouts. */
  retry?: RetryPolicy;
  /** Per-attempt timeout in ms (headers and body). Default 30 000. */
  timeoutMs?: number;
  /** Where to load the starting cursor from and save progress to. */
  cursorStore?: CursorStore;
  /** Save the cursor after every finished event (default) or once per finished page. */
  checkpoint?: 'event' | 'page';
  /** How strictly items are validated (as `parseWorkOSEvent`). Default `'envelope'`. */
  validate?: EventsApiValidateMode;
  /**
   * What to do with an item that does not parse (e.g. `data: null`, or spec drift under `validate: 'strict'`):
   * `'throw'` (default of `listEvents`) stops with an error naming the item's id; `'skip'` (default of
   * `pollEvents`) logs it at error level and moves the cursor past it; a function is called with the raw item and
   * the error, then the item is skipped. See {@link OnInvalidEvent}.
   */
  onInvalidEvent?: OnInvalidEvent;
  /** Where skipped invalid items are logged (`error(obj, msg)`, e.g. pino). Default: one `console.error` line each. */
  logger?: EventsApiLogger;
  /** Query-string form of `events`. Default `'comma'`, as the official Node SDK sends it. */
  eventsEncoding?: EventsEncoding;
}

/**
 * Options of {@link pollEvents}: those of {@link ListEventsOptions} plus the pause between polls once the list is
 * exhausted.
 *
 * @example
 * ```ts
 * const options: PollEventsOptions = { events: ['user.created'], intervalMs: 10_000, signal: controller.signal };
 * ```
 */
export interface PollEventsOptions extends ListEventsOptions {
  /** Wait between polls when there is nothing new, in ms (more than 0). Default 5 000. */
  intervalMs?: number;
}

/** The options that end up in timers, checked and with their defaults. */
export interface ResolvedTiming {
  retry: ResolvedRetryPolicy;
  timeoutMs: number;
  intervalMs: number;
}

export interface ResolvedOptions {
  client: ClientConfig;
  events: readonly string[];
  wanted: ReadonlySet<string>;
  organizationId: string | undefined;
  rangeStart: string | undefined;
  rangeEnd: string | undefined;
  after: string | undefined;
  limit: number;
  signal: AbortSignal | undefined;
  cursorStore: CursorStore | undefined;
  checkpoint: 'event' | 'page';
  validate: EventsApiValidateMode | undefined;
  invalid: InvalidEventPolicy;
  poll: boolean;
  intervalMs: number;
}

const DEFAULT_BASE_URL = 'https://api.workos.com';

function fail(fn: string, message: string, Ctor: ErrorConstructor = TypeError): never {
  throw new Ctor(`${fn}: ${message}`);
}

function instant(fn: string, name: string, value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail(fn, `\`${name}\` is an invalid Date.`, RangeError);
    return value.toISOString();
  }
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    fail(fn, `\`${name}\` must be a Date or an ISO-8601 string.`);
  }
  return value;
}

function nonNegative(
  fn: string,
  name: string,
  value: number | undefined,
  fallback: number,
  allowInfinity = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value))) {
    fail(fn, `\`${name}\` must be a non-negative number.`, RangeError);
  }
  return value;
}

/** The longest delay `setTimeout` honours: anything longer fires after 1 ms (with only a process warning). */
const MAX_TIMER_MS = 2_147_483_647;

/** A non-negative delay in ms that ends up in a timer; `positive` where 0 would make it spin or fail at once. */
function timerMs(fn: string, name: string, value: number | undefined, fallback: number, positive?: string): number {
  const ms = nonNegative(fn, name, value, fallback);
  if (ms > MAX_TIMER_MS) {
    fail(fn, `\`${name}\` must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer delay.`, RangeError);
  }
  if (positive !== undefined && ms === 0) fail(fn, `\`${name}\` must be positive (${positive}).`, RangeError);
  return ms;
}

/**
 * Checks the options that end up in timers (retry policy, `timeoutMs`, `intervalMs`): each at most 2^31−1 ms, and
 * positive where 0 would retry or poll back to back. Also used by `reconcileOnInterval` at construction.
 */
export function resolveTiming(
  fn: string,
  options: Pick<PollEventsOptions, 'retry' | 'timeoutMs' | 'intervalMs'>,
  poll: boolean,
): ResolvedTiming {
  const retry = options.retry ?? {};
  if (retry === null || typeof retry !== 'object') fail(fn, '`retry` must be an object.');
  if (retry.onRetry !== undefined && typeof retry.onRetry !== 'function')
    fail(fn, '`retry.onRetry` must be a function.');
  const backToBack = 'a zero backoff retries back to back';
  const resolved: ResolvedRetryPolicy = {
    maxRetries: nonNegative(fn, 'retry.maxRetries', retry.maxRetries, poll ? Number.POSITIVE_INFINITY : 5, true),
    baseDelayMs: timerMs(fn, 'retry.baseDelayMs', retry.baseDelayMs, 500, backToBack),
    maxDelayMs: timerMs(fn, 'retry.maxDelayMs', retry.maxDelayMs, 30_000, backToBack),
    maxRetryAfterMs: timerMs(fn, 'retry.maxRetryAfterMs', retry.maxRetryAfterMs, 60_000),
    onRetry: retry.onRetry,
  };
  const timeoutMs = timerMs(fn, 'timeoutMs', options.timeoutMs, 30_000, 'every request would time out at once');
  const intervalMs = timerMs(fn, 'intervalMs', options.intervalMs, 5_000, 'a zero interval polls back to back');
  return { retry: resolved, timeoutMs, intervalMs };
}

/** Checks `onInvalidEvent` and `logger`; the default is `'skip'` for a poller, `'throw'` for a one-shot list. */
export function resolveInvalidPolicy(
  fn: string,
  options: Pick<ListEventsOptions, 'onInvalidEvent' | 'logger'>,
  skipByDefault: boolean,
): InvalidEventPolicy {
  const onInvalidEvent = options.onInvalidEvent ?? (skipByDefault ? 'skip' : 'throw');
  if (onInvalidEvent !== 'throw' && onInvalidEvent !== 'skip' && typeof onInvalidEvent !== 'function') {
    fail(fn, "`onInvalidEvent` must be 'throw', 'skip' or a function (item, error) => void.");
  }
  const { logger } = options;
  if (logger !== undefined && typeof logger?.error !== 'function') {
    fail(fn, '`logger` must have an `error(obj, msg)` method.');
  }
  return { fn, onInvalidEvent, logger };
}

function envApiKey(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.WORKOS_API_KEY || undefined;
}

function fromWorkOS(fn: string, workos: unknown): { key: string; baseURL: string | undefined } {
  if (workos === null || typeof workos !== 'object') fail(fn, '`workos` must be a WorkOS SDK instance.');
  const { key, baseURL } = workos as { key?: unknown; baseURL?: unknown };
  if (typeof key !== 'string' || key === '') {
    fail(
      fn,
      'could not read an API key from the `workos` instance (expected a non-empty `key` property, as @workos-inc/node sets when constructed with an API key). Pass `apiKey` instead.',
    );
  }
  if (baseURL !== undefined && typeof baseURL !== 'string') {
    fail(fn, 'the `workos` instance has a `baseURL` that is not a string. Pass `baseUrl` instead.');
  }
  return { key, baseURL };
}

/** Checks and normalizes options up front, so a mistake fails at the call, not on the first page. */
export function resolveOptions(fn: string, options: PollEventsOptions, poll: boolean): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail(fn, 'options are required (at least `events`).');
  const { events } = options;
  if (!Array.isArray(events) || events.length === 0) {
    fail(fn, '`events` must be a non-empty array of event types (the Events API requires the filter).');
  }
  for (const name of events) {
    if (typeof name !== 'string' || name.trim() === '' || name.includes(',')) {
      fail(fn, '`events` entries must be non-empty event type names without commas.');
    }
  }
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    fail(fn, '`limit` must be an integer from 1 to 100.', RangeError);
  }
  if (options.after !== undefined && (typeof options.after !== 'string' || options.after === '')) {
    fail(fn, '`after` must be a non-empty event id.');
  }
  const rangeStart = instant(fn, 'rangeStart', options.rangeStart);
  const rangeEnd = instant(fn, 'rangeEnd', options.rangeEnd);
  if (options.after !== undefined && rangeStart !== undefined) {
    fail(fn, '`after` and `rangeStart` are mutually exclusive (the API rejects both): pass one.');
  }
  if (rangeStart && rangeEnd && Date.parse(rangeStart) > Date.parse(rangeEnd)) {
    fail(fn, '`rangeStart` is after `rangeEnd`.', RangeError);
  }
  const checkpoint = options.checkpoint ?? 'event';
  if (checkpoint !== 'event' && checkpoint !== 'page') fail(fn, "`checkpoint` must be 'event' or 'page'.");
  const encoding = options.eventsEncoding ?? 'comma';
  if (!['comma', 'repeat', 'brackets'].includes(encoding)) {
    fail(fn, "`eventsEncoding` must be 'comma', 'repeat' or 'brackets'.");
  }
  const store = options.cursorStore;
  if (store !== undefined && (typeof store?.load !== 'function' || typeof store?.save !== 'function')) {
    fail(fn, '`cursorStore` must have `load()` and `save(cursor)` methods.');
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    fail(fn, '`signal` must be an AbortSignal.');
  }

  const sdk = options.workos !== undefined ? fromWorkOS(fn, options.workos) : undefined;
  const apiKey = options.apiKey ?? sdk?.key ?? envApiKey();
  if (typeof apiKey !== 'string' || apiKey === '') {
    fail(fn, 'no API key: pass `apiKey` or `workos`, or set WORKOS_API_KEY.');
  }
  const baseUrl = options.baseUrl ?? sdk?.baseURL ?? DEFAULT_BASE_URL;
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    fail(fn, '`baseUrl` is not a valid URL.');
  }
  if (protocol !== 'https:' && protocol !== 'http:') fail(fn, '`baseUrl` must be an http(s) URL.');
  const fetchFn = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (typeof fetchFn !== 'function') fail(fn, 'no `fetch` available: pass one in `fetch`.');

  const timing = resolveTiming(fn, options, poll);
  const invalid = resolveInvalidPolicy(fn, options, poll);

  return {
    client: {
      apiKey,
      baseUrl,
      fetch: options.fetch ?? ((input, init) => fetchFn(input, init)),
      timeoutMs: timing.timeoutMs,
      retry: timing.retry,
      eventsEncoding: encoding,
    },
    events: [...events],
    wanted: new Set(events),
    organizationId: options.organizationId,
    rangeStart,
    rangeEnd,
    after: options.after,
    limit,
    signal: options.signal,
    cursorStore: store,
    checkpoint,
    validate: options.validate,
    invalid,
    poll,
    intervalMs: timing.intervalMs,
  };
}
