import type { ParseWorkOSEventOptions, WorkOSEvent, WorkOSEventName, WorkOSEventOf } from '../events/index.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import type { WorkOSWebhookErrorCode } from '../verify/errors.js';
import type { WorkOSTimestampUnit } from '../verify/signature.js';
import type { WorkOSLogger } from './logger.js';
import type { MeterLike } from './metrics.js';
import type { TracerLike } from './tracing.js';
import type { VersionStore } from './version-store.js';

/**
 * Why the handler answered a request with an error status. Verification codes come from `WorkOSWebhookError`;
 * the others are the handler's own. Stable strings: match on them, not on messages.
 * - `method_not_allowed` 405, `ip_not_allowed` 403, `payload_too_large` 413, `unsupported_media_type` 415,
 *   `body_timeout` 408 (the body did not arrive in time), `body_already_parsed` 500 (a framework body parser consumed
 *   the raw body before the adapter: a setup error), `in_progress` 409 (another delivery of the same event holds the
 *   claim), `no_listeners` 500 (the handler has no listener at all: nothing is acknowledged or completed),
 *   `handler_failed` 500, `store_unavailable` 503, `queue_full` 503, `enqueue_failed` 503, `shutting_down` 503.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ hooks: { onRejected: (code: WebhookRejectionCode) => metrics.increment(`rejected.${code}`) } });
 * ```
 */
export type WebhookRejectionCode =
  | WorkOSWebhookErrorCode
  | 'method_not_allowed'
  | 'ip_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'body_timeout'
  | 'body_already_parsed'
  | 'in_progress'
  | 'no_listeners'
  | 'handler_failed'
  | 'store_unavailable'
  | 'queue_full'
  | 'enqueue_failed'
  | 'shutting_down';

/**
 * Something the adapter noticed while reading the body, reported to the core so it answers and logs uniformly.
 *
 * @example
 * ```ts
 * await webhooks.handle({ method: 'POST', headers, rawBody: null, bodyError: 'body_already_parsed' }); // → 500
 * ```
 */
export type WebhookBodyError = 'body_timeout' | 'body_already_parsed';

/**
 * A framework-neutral HTTP request, as an adapter hands it to {@link WorkOSWebhookHandler.handle}.
 *
 * @example
 * ```ts
 * const res = await webhooks.handle({ method: 'POST', headers: req.headers, rawBody: buffer, ip: req.socket.remoteAddress });
 * ```
 */
export interface WebhookRequest {
  method: string;
  /** A Fetch `Headers` object or Node's lower-cased header record. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body exactly as received. `null`/`undefined` means empty (or not read, see `bodyError`). */
  rawBody: string | Uint8Array | ArrayBuffer | null | undefined;
  /** The socket's peer address; the client address is derived from it and `X-Forwarded-For` per `trustProxy`. */
  ip?: string;
  /** Set by an adapter that could not read the body; the core answers with the matching status. */
  bodyError?: WebhookBodyError;
}

/**
 * What to send back: `body` is a small JSON document (`{"status":"processed"}`, `{"status":"error","code":"…"}`),
 * never the payload or the secret.
 *
 * @example
 * ```ts
 * const { status, headers, body } = await webhooks.handle(req);
 * return new Response(body, { status, headers });
 * ```
 */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Where an event came from: a webhook delivery, the Events API (`reconcile`), or a durable queue's worker.
 *
 * @example
 * ```ts
 * webhooks.onAny((event, ctx) => { if (ctx.source === 'api') console.log('replayed from the Events API', event.id); });
 * ```
 */
export type EventSource = 'webhook' | 'api' | 'queue';

/**
 * Passed to every event handler.
 *
 * @example
 * ```ts
 * webhooks.on('user.created', async (event, ctx) => {
 *   ctx.logger.info({ event_id: event.id, source: ctx.source }, 'new user');
 *   await fetch(url, { signal: ctx.signal });
 * });
 * ```
 */
export interface HandlerContext {
  /** `'webhook'` for deliveries through `handle`, else the `source` given to `process(event, { source })`. */
  source: EventSource;
  /** Which attempt this is within this process: 1, then 2… when an acknowledged event is retried in process. */
  attempt: number;
  /** Epoch ms when the handler core received the event. */
  receivedAt: number;
  /**
   * Aborted when `drain({ timeoutMs })` gives up on this work during shutdown. Pass it to fetch/database calls so
   * a shutdown does not wait on them forever.
   */
  signal: AbortSignal;
  /**
   * Epoch ms after which an inline delivery has already been answered with 202 (the work may continue).
   * Undefined for background, queue and API processing, and for in-process retries.
   */
  deadline?: number;
  /** The handler's logger (a no-op one when none was configured). */
  logger: WorkOSLogger;
}

/**
 * The outcome of one event going through claim → dispatch → complete/release, as `process()` returns it:
 * - `processed`: listeners ran and the claim was completed;
 * - `ignored`: no listener for this event's type (others exist): completed without running anything;
 * - `duplicate`: already completed before; nothing ran;
 * - `in_progress`: another delivery holds the claim; nothing ran (try again later);
 * - `skipped_stale`: the out-of-order guard skipped it (newer data was already applied); completed;
 * - `failed`: a listener threw (or the store failed, or the handler has no listener at all): the claim is released;
 * - `shutting_down`: `drain()` was called; nothing ran and nothing was claimed.
 *
 * @example
 * ```ts
 * const { outcome } = await webhooks.process(event);
 * if (outcome === 'in_progress') await sleep(1_000);
 * ```
 */
export type ProcessOutcome =
  | 'processed'
  | 'ignored'
  | 'duplicate'
  | 'in_progress'
  | 'skipped_stale'
  | 'failed'
  | 'shutting_down';

/**
 * Result of {@link WorkOSWebhookHandler.process}. `error` is set when `outcome` is `'failed'`.
 *
 * @example
 * ```ts
 * const result = await webhooks.process(event, { source: 'api' });
 * if (result.outcome === 'failed') console.error(result.error);
 * ```
 */
export interface ProcessResult {
  outcome: ProcessOutcome;
  durationMs: number;
  error?: unknown;
  /** Listener runs in this call (0 when nothing ran; more than 1 only with in-process retries). */
  attempts?: number;
}

/**
 * Options of {@link WorkOSWebhookHandler.process}.
 *
 * @example
 * ```ts
 * await webhooks.process(job.data, { source: 'queue', acknowledged: true } satisfies ProcessOptions);
 * ```
 */
export interface ProcessOptions {
  /** Where the event came from (`ctx.source`, hooks, logs). Default `'api'`. */
  source?: EventSource;
  /**
   * Whether WorkOS was already answered 2xx for this event (reported to `onFailed`). Default: true for `'queue'`
   * (the web process acknowledged it when the job was stored), false otherwise.
   */
  acknowledged?: boolean;
  /** Whether a failure here is the final word (reported to `onFailed`); queue workers pass false until the last try. */
  final?: boolean;
}

/**
 * What {@link WorkOSWebhookHandler.drain} found.
 *
 * @example
 * ```ts
 * const { drained, abandoned } = await webhooks.drain({ timeoutMs: 10_000 });
 * if (!drained) logger.warn({ abandoned }, 'shutdown abandoned WorkOS events: reconcile will pick them up');
 * ```
 */
export interface DrainResult {
  /** True when every in-flight delivery settled before the timeout. */
  drained: boolean;
  /** Deliveries still running when the timeout passed (0 when drained). */
  abandoned: number;
  /** Claims released for those, so a WorkOS retry or `reconcile` runs them again. */
  released: number;
}

/**
 * Extra information given to hooks.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ hooks: { onRejected: (code, info: HookInfo) => console.warn(code, info.status) } });
 * ```
 */
export interface HookInfo {
  source: EventSource;
  /** The HTTP status of the response, for request-level hooks. */
  status?: number;
}

/**
 * Given to `onFailed`: whether WorkOS was already answered with a 2xx for this event (then no WorkOS retry will come,
 * and the event needs `reconcile` or a durable queue), how many attempts ran, and whether this is the final word.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({
 *   hooks: { onFailed: (event, err, info: FailureInfo) => { if (info.acknowledged) alerts.page(`run reconcile: ${event.id}`); } },
 * });
 * ```
 */
export interface FailureInfo extends HookInfo {
  /** True when a 2xx was already sent (background mode, inline after 202, queue jobs): WorkOS will not retry. */
  acknowledged: boolean;
  /** Listener attempts made for this event in this process. */
  attempts: number;
  /** True when nothing in this process will try again (retries exhausted, or not retried here at all). */
  final: boolean;
}

/**
 * Given to `onRetry` before an acknowledged event's listeners are run again in process.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ hooks: { onRetry: (event, err, info: ListenerRetryInfo) => metrics.increment('workos.retry') } });
 * ```
 */
export interface ListenerRetryInfo extends HookInfo {
  /** The attempt that failed (1-based). */
  attempt: number;
  /** How long the handler waits before the next attempt. */
  delayMs: number;
}

/**
 * Observability hooks. Each is called synchronously and its errors are swallowed (and logged), so a broken metric
 * call never changes a response.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({
 *   hooks: {
 *     onRejected: (code) => metrics.increment('workos.webhook.rejected', { code }),
 *     onProcessed: (event, ms) => metrics.histogram('workos.event.duration', ms, { type: event.event }),
 *   },
 * });
 * ```
 */
export interface WorkOSWebhookHooks {
  /** The signature held and the event parsed. */
  onVerified?(event: WorkOSEvent, info: HookInfo): void;
  /** A request was refused before any handler ran (bad signature, wrong method, too large, …). */
  onRejected?(code: WebhookRejectionCode, info: HookInfo): void;
  /** The event was already processed; no handler ran. */
  onDuplicate?(event: WorkOSEvent, info: HookInfo): void;
  /** Another delivery of the event is still being processed (answered 409). */
  onInProgress?(event: WorkOSEvent, info: HookInfo): void;
  /** The handlers finished and the claim was completed. */
  onProcessed?(event: WorkOSEvent, durationMs: number, info: HookInfo): void;
  /** No listener for this event's type (others exist): completed without running anything. */
  onIgnored?(event: WorkOSEvent, info: HookInfo): void;
  /** The out-of-order guard skipped an event older than the last applied one. */
  onSkippedStale?(event: WorkOSEvent, info: HookInfo): void;
  /** A listener threw and the handler will run it again in process after `info.delayMs`. */
  onRetry?(event: WorkOSEvent, error: unknown, info: ListenerRetryInfo): void;
  /**
   * The event failed and its claim was released. With `info.acknowledged` WorkOS will not retry it: run `reconcile`
   * (or use a durable queue) to recover it.
   */
  onFailed?(event: WorkOSEvent, error: unknown, info: FailureInfo): void;
}

/**
 * Handed to {@link WorkOSEventQueue.enqueue} with each verified event.
 *
 * @example
 * ```ts
 * const queue: WorkOSEventQueue = { enqueue: (event, info: EnqueueInfo) => jobs.add('workos', event, { jobId: info.jobId }) };
 * ```
 */
export interface EnqueueInfo {
  /** A stable job id (the event id): give it to your queue so duplicate deliveries collapse into one job. */
  jobId: string;
  /** Aborted when `enqueueTimeoutMs` passes (the delivery is then answered 503 and WorkOS retries). */
  signal: AbortSignal;
}

/**
 * A durable queue the handler hands verified events to (queue mode). `enqueue` must resolve only once the job is
 * stored; the delivery is answered 2xx after that, 503 `enqueue_failed` if it rejects or outlasts `enqueueTimeoutMs`.
 * The queue's worker runs each job through `webhooks.process(event, { source: 'queue' })`.
 *
 * @example
 * ```ts
 * const queue: WorkOSEventQueue = {
 *   enqueue: async (event, { jobId }) => { await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(event), MessageDeduplicationId: jobId })); },
 * };
 * const webhooks = createWorkOSWebhookHandler({ queue });
 * ```
 */
export interface WorkOSEventQueue {
  enqueue(event: WorkOSEvent, info: EnqueueInfo): Promise<unknown>;
}

/**
 * In-process retries of an acknowledged event (background mode, and inline mode after a 202): `attempts` listener runs
 * in all (default 3), waiting `backoffMs · 2^(attempt-1)` (default 1 000, equal jitter: half fixed, half random) capped at `maxBackoffMs`
 * (default 30 000) in between. `false` or `{ attempts: 1 }` turns retries off.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ mode: 'background', retry: { attempts: 5, backoffMs: 500 } });
 * ```
 */
export interface RetryOptions {
  attempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Inline delivery (the default): listeners run before the answer (200, or 500 so WorkOS retries). When they outlast
 * `deadlineMs` the delivery is answered 202 and they finish after it; a failure then is retried in process (`retry`).
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ mode: 'inline', deadlineMs: 8_000, retry: { attempts: 3 } });
 * ```
 */
export interface InlineDeliveryOptions {
  mode?: 'inline';
  /**
   * Answer 202 if the listeners are still running after this many ms. Default 4 000. The timer is set only once a
   * listener (or an `onError` listener, or the out-of-order guard) returns a promise: synchronous listeners cost none.
   */
  deadlineMs?: number;
  /** Retries after the 202 (an answer was sent, so WorkOS will not retry). Default `{ attempts: 3 }`. */
  retry?: RetryOptions | false;
  concurrency?: never;
  maxQueued?: never;
  queue?: never;
  enqueueTimeoutMs?: never;
}

/**
 * Background delivery: answer 200 right after verify + claim, run the listeners on a bounded in-process queue.
 * Acknowledged work lives only in this process: a crash loses it until `reconcile` runs (or use queue mode).
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ mode: 'background', concurrency: 8, maxQueued: 5_000 });
 * ```
 */
export interface BackgroundDeliveryOptions {
  mode: 'background';
  /** Listeners running at once. Default 4. */
  concurrency?: number;
  /** Events waiting (claimed, not started) before new deliveries get 503. Default 1 000. */
  maxQueued?: number;
  /** In-process retries of a failed event. Default `{ attempts: 3 }`. */
  retry?: RetryOptions | false;
  deadlineMs?: never;
  queue?: never;
  enqueueTimeoutMs?: never;
}

/**
 * Queue delivery: hand verified events to a durable queue (BullMQ, pg-boss, SQS…) and answer 2xx once it has them;
 * listeners never run in the web process. Workers call `webhooks.process(event, { source: 'queue' })`.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ queue: myQueue, enqueueTimeoutMs: 3_000 });
 * ```
 */
export interface QueueDeliveryOptions {
  mode?: 'queue';
  queue: WorkOSEventQueue;
  /** Answer 503 `enqueue_failed` if `enqueue` has not resolved after this many ms. Default 5 000. */
  enqueueTimeoutMs?: number;
  deadlineMs?: never;
  concurrency?: never;
  maxQueued?: never;
  retry?: never;
}

/**
 * How deliveries are acknowledged and run: {@link InlineDeliveryOptions} (default), {@link BackgroundDeliveryOptions}
 * or {@link QueueDeliveryOptions}. One shape per mode, so options of another mode are a type error (and a
 * {@link WorkOSWebhookConfigError} at run time) instead of being silently ignored.
 *
 * @example
 * ```ts
 * const delivery: DeliveryOptions = { mode: 'background', concurrency: 8 };
 * createWorkOSWebhookHandler({ secret, ...delivery });
 * ```
 */
export type DeliveryOptions = InlineDeliveryOptions | BackgroundDeliveryOptions | QueueDeliveryOptions;

/**
 * Options every mode shares (see {@link WorkOSWebhookHandlerOptions}).
 *
 * @example
 * ```ts
 * const common: WorkOSWebhookHandlerCommonOptions = { secret: process.env.WORKOS_WEBHOOK_SECRET, leaseMs: 60_000 };
 * ```
 */
export interface WorkOSWebhookHandlerCommonOptions extends ParseWorkOSEventOptions {
  /** Webhook secret(s); several during rotation (any may match). Default `WORKOS_WEBHOOK_SECRET`. */
  secret?: string | readonly string[];
  /**
   * Dedup store. Default: a new `MemoryIdempotencyStore`, which only deduplicates within one process; use a shared
   * store (Redis, Postgres, SQLite) when more than one instance receives webhooks.
   */
  store?: IdempotencyStore;
  /** Allowed clock skew of the signature timestamp, both directions. Default 300 000 (5 min). */
  toleranceMs?: number;
  /**
   * Unit of the signature's `t`: `'auto'` (default) accepts milliseconds (WorkOS) and seconds (WorkOS's CLI
   * emulator, a `t` below 10^11); `'ms'` accepts only milliseconds. See {@link WorkOSTimestampUnit}.
   */
  timestampUnit?: WorkOSTimestampUnit;
  /** Largest accepted body in bytes; larger → 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Adapters give up reading a body after this many ms → 408. Default 10 000. */
  bodyTimeoutMs?: number;
  /**
   * IP allowlist (opt-in). `true` = WorkOS's documented webhook IPs ({@link WORKOS_WEBHOOK_IPS}); an array = your
   * own list (exact addresses; IPv4-mapped IPv6 forms match their IPv4 address). Default: no allowlist.
   */
  allowedIps?: boolean | readonly string[];
  /**
   * How to find the client address behind proxies. `false` (default): the socket address. A number `n`: trust `n`
   * proxies, i.e. take the `n`-th address from the right of `X-Forwarded-For`. `true`: the left-most address (only
   * when every hop in front of you overwrites the header).
   */
  trustProxy?: boolean | number;
  /** Reject a `Content-Type` that is present and not JSON with 415. Default true. A missing header is accepted. */
  requireJsonContentType?: boolean;
  /** How long a claim is held while handlers run before another delivery may take over. Default 120 000. */
  leaseMs?: number;
  /** How long a processed event id is remembered. Default: the store's default (30 days). */
  retainMs?: number;
  /**
   * Out-of-order guard (opt-in). For events whose `data` has `id` and `updated_at`, skip an event whose
   * `updated_at` is older than the last one applied for that object (the docs' "compare updated_at" advice).
   * `true` = an in-memory {@link MemoryVersionStore}; or pass your own {@link VersionStore}.
   */
  outOfOrderGuard?: boolean | VersionStore;
  /** A pino-compatible logger (`info/warn/error/debug(obj, msg)`). Never receives payloads or secrets. */
  logger?: WorkOSLogger;
  hooks?: WorkOSWebhookHooks;
  /**
   * OpenTelemetry tracer (e.g. `trace.getTracer('workos-events')`). Default: the globally registered tracer provider
   * if an OpenTelemetry SDK registered one (found without importing `@opentelemetry/api`), else none. `false` = off.
   */
  tracer?: TracerLike | false;
  /**
   * OpenTelemetry meter (e.g. `metrics.getMeter('workos-events')`) for the `workos.*` metrics listed in
   * docs/observability.md. Default: the globally registered meter provider if an OpenTelemetry SDK registered one
   * (found without importing `@opentelemetry/api`), else none and no metric call is made. `false` = off.
   */
  meter?: MeterLike | false;
  /** Clock in epoch ms, injectable for tests and replays. */
  now?: () => number;
}

/**
 * Options of {@link createWorkOSWebhookHandler}. All are optional except that a secret must come from `secret` or
 * the `WORKOS_WEBHOOK_SECRET` environment variable. The parse options (`validate`, …) are passed to verification.
 *
 * @example
 * ```ts
 * const webhooks = createWorkOSWebhookHandler({
 *   secret: process.env.WORKOS_WEBHOOK_SECRET,
 *   store: new RedisIdempotencyStore({ client }),
 *   mode: 'background',
 *   logger: pino(),
 * });
 * ```
 */
export type WorkOSWebhookHandlerOptions = WorkOSWebhookHandlerCommonOptions & DeliveryOptions;

/**
 * A listener for one or more event names.
 *
 * @example
 * ```ts
 * const audit: EventListener = (event, ctx) => auditLog.write({ id: event.id, type: event.event, via: ctx.source });
 * webhooks.onAny(audit);
 * ```
 */
export type EventListener<E extends WorkOSEvent = WorkOSEvent> = (event: E, ctx: HandlerContext) => unknown;

/**
 * A listener for handler failures.
 *
 * @example
 * ```ts
 * const report: ErrorListener = (error, event) => Sentry.captureException(error, { tags: { event_type: event.event } });
 * webhooks.onError(report);
 * ```
 */
export type ErrorListener = (error: unknown, event: WorkOSEvent, ctx: HandlerContext) => unknown;

/**
 * The webhook handler: register listeners, then give it requests (adapters do that) or already-verified events.
 *
 * @example
 * ```ts
 * const webhooks = createWorkOSWebhookHandler();
 * webhooks.on('dsync.user.created', async (event) => upsertUser(event.data));
 * const res = await webhooks.handle({ method: 'POST', headers, rawBody });
 * ```
 */
export interface WorkOSWebhookHandler {
  /** Run `fn` for events of these names; `event` is narrowed to them. */
  on<N extends WorkOSEventName>(
    name: N | readonly N[],
    fn: (event: WorkOSEventOf<N>, ctx: HandlerContext) => unknown,
  ): this;
  /** Run `fn` for every event (after the named listeners). */
  onAny(fn: EventListener): this;
  /** Run `fn` for events whose type this version of the library does not know. */
  onUnknown(fn: EventListener): this;
  /** Called when a listener throws (the delivery still fails with 500 and is retried). */
  onError(fn: ErrorListener): this;
  /** The full pipeline for one HTTP request. Never throws. */
  handle(req: WebhookRequest): Promise<WebhookResponse>;
  /**
   * Runs an already-verified event (from the Events API, a queue worker, a replay) through claim → dispatch →
   * complete/release. Never throws: the outcome says what happened. No in-process retry here: the caller (the next
   * `reconcile` run, the queue engine) retries a `failed` outcome.
   */
  process(event: WorkOSEvent, opts?: ProcessOptions): Promise<ProcessResult>;
  /**
   * Graceful shutdown. From the call on, `handle()` answers 503 `shutting_down` and `process()` returns
   * `shutting_down` without running anything. Resolves when every delivery that entered `handle()` / `process()` before
   * it has settled (including in-process retries), or after `timeoutMs` (default: no limit): the remaining work is then
   * aborted (`ctx.signal`), its claims released, and the result says how much was abandoned.
   */
  drain(opts?: { timeoutMs?: number }): Promise<DrainResult>;
  /** The idempotency store in use. */
  readonly store: IdempotencyStore;
  /** The configured logger (a no-op one when none was given); `reconcile` logs through it too. */
  readonly logger: WorkOSLogger;
  /** Largest accepted body (adapters stop reading past it). */
  readonly maxBodyBytes: number;
  /** How long adapters wait for a body. */
  readonly bodyTimeoutMs: number;
  /** Names that have an `on` listener. */
  handledEventNames(): WorkOSEventName[];
}
