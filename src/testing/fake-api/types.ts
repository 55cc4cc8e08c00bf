/**
 * An event as the fake serves it: the wire shape (`id`, `event`, `data`, `created_at`, …). Any object with these
 * fields works, including a `WorkOSEvent` or the output of `createTestEvent`.
 *
 * @example
 * ```ts
 * const event: FakeWorkOSEvent = {
 *   object: 'event', id: 'event_01JABCDEF0000000000000001', event: 'user.created',
 *   data: { object: 'user', id: 'user_01JABC' }, created_at: '2026-01-01T00:00:00.000Z',
 * };
 * ```
 */
export interface FakeWorkOSEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
  created_at: string;
  object?: 'event';
  context?: Record<string, unknown>;
}

/**
 * A lazily generated event list: `generate(i)` is called on demand, so a million events cost no memory. When ids
 * increase (as strings) with `i`, as WorkOS's ULID-based ids do, an `after` cursor is found by binary search;
 * otherwise by a scan of the source (correct, but slower for large counts).
 *
 * @example
 * ```ts
 * const events: FakeEventSource = { count: 1_000_000, generate: createFakeEventGenerator() };
 * ```
 */
export interface FakeEventSource {
  count: number;
  generate(index: number): FakeWorkOSEvent;
}

/**
 * One injected failure of a `GET /events` request.
 * - `rate_limit`: 429, with a `Retry-After` header when `retryAfter` is given (seconds, or an HTTP date string);
 *   the body is JSON `{ message, code }` or the bare text `Ratelimited` with `body: 'text'`.
 * - `server_error`: `status` (default 500) with a JSON body.
 * - `reset`: the connection is destroyed without an answer.
 * - `slow`: the normal answer, after `delayMs`.
 * - `truncated`: 200 with the JSON body cut in half.
 *
 * @example
 * ```ts
 * const api = await createFakeWorkOSApi({ faults: { schedule: [{ type: 'rate_limit', retryAfter: 0 }, null, { type: 'reset' }] } });
 * ```
 */
export type FakeApiFault =
  | { type: 'rate_limit'; retryAfter?: number | string; body?: 'json' | 'text' }
  | { type: 'server_error'; status?: number }
  | { type: 'reset' }
  | { type: 'slow'; delayMs: number }
  | { type: 'truncated' };

/**
 * When requests fail: `schedule[n]` applies to the n-th `GET /events` request (null = answer normally); after the
 * schedule, each request fails with probability `rate`, the fault drawn from `kinds`, both from a PRNG seeded with
 * `seed` (so a failing run can be replayed).
 *
 * @example
 * ```ts
 * const faults: FakeApiFaultOptions = { rate: 0.2, seed: 42, kinds: [{ type: 'server_error' }, { type: 'reset' }] };
 * ```
 */
export interface FakeApiFaultOptions {
  schedule?: readonly (FakeApiFault | null | undefined)[];
  rate?: number;
  seed?: number;
  kinds?: readonly FakeApiFault[];
}

/**
 * Options of `createFakeWorkOSApi`.
 *
 * @example
 * ```ts
 * const api = await createFakeWorkOSApi({ events: { count: 5000, generate: createFakeEventGenerator() }, latencyMs: 20 });
 * ```
 */
export interface FakeWorkOSApiOptions {
  /** The initial events, oldest first: a list, or a lazily generated source. Default: none. */
  events?: readonly FakeWorkOSEvent[] | FakeEventSource;
  /** The API key requests must carry as `Authorization: Bearer <apiKey>`. Default `sk_test_fake`. */
  apiKey?: string;
  /** Fault injection. */
  faults?: FakeApiFaultOptions;
  /** Delay before every `GET /events` answer, in ms (latency of a real network). Default 0. */
  latencyMs?: number;
  /** Serve items of every type whatever `events` asks for (some servers do): tests a client's own filtering. */
  ignoreEventsFilter?: boolean;
}

/**
 * One request the fake received, for assertions.
 *
 * @example
 * ```ts
 * expect(api.requests.map((r) => r.query.get('after'))).toEqual([null, 'event_…']);
 * ```
 */
export interface FakeApiRequest {
  /** 0-based position among all requests. */
  index: number;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Whether the `Authorization` header carried the right key (the key itself is never recorded). */
  authorized: boolean;
  /** The status answered (0 for a reset connection). */
  status: number;
  /** The injected fault, if any. */
  fault?: FakeApiFault['type'];
  /** Number of items in the answered page. */
  items: number;
  /** `Date.now()` when it arrived. */
  at: number;
}

/**
 * A running fake of the WorkOS Events API. Point a client at `url`; `close()` it when done.
 *
 * @example
 * ```ts
 * const api = await createFakeWorkOSApi({ events: [createTestEvent('user.created')] });
 * try {
 *   for await (const e of listEvents({ events: ['user.created'], apiKey: api.apiKey, baseUrl: api.url })) console.log(e.id);
 * } finally {
 *   await api.close();
 * }
 * ```
 */
export interface FakeWorkOSApi {
  /** Base URL, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  /** The key the fake accepts. */
  readonly apiKey: string;
  /** Number of events held (initial plus appended). */
  readonly size: number;
  /** Every request received so far (mutable: empty it with `requests.length = 0`). */
  readonly requests: FakeApiRequest[];
  /** Adds events at the end of the list, as WorkOS does when new events happen. */
  append(...events: FakeWorkOSEvent[]): void;
  /** Queues faults for the next `GET /events` requests (before the schedule and rate). */
  injectFaults(...faults: FakeApiFault[]): void;
  /** The i-th event (0 = oldest). */
  eventAt(index: number): FakeWorkOSEvent | undefined;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}
