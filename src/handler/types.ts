import type { ParseWorkOSEventOptions, WorkOSEvent, WorkOSEventName, WorkOSEventOf } from '../events/index.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import type { WorkOSWebhookErrorCode } from '../verify/errors.js';
import type { WorkOSTimestampUnit } from '../verify/signature.js';
import type { WorkOSLogger } from './logger.js';
import type { TracerLike } from './tracing.js';
import type { VersionStore } from './version-store.js';

/**
 * Why the handler answered a request with an error status. Verification codes come from `WorkOSWebhookError`;
 * the others are the handler's own. Stable strings: match on them, not on messages.
 * - `method_not_allowed` 405, `ip_not_allowed` 403, `payload_too_large` 413, `unsupported_media_type` 415,
 *   `body_timeout` 408 (the body did not arrive in time), `body_already_parsed` 500 (a framework body parser consumed
 *   the raw body before the adapter: a setup error), `in_progress` 409 (another delivery of the same event holds the
 *   claim), `handler_failed` 500, `store_unavailable` 503, `queue_full` 503, `enqueue_failed` 503,
 *   `shutting_down` 503.
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
 * Where an event came from: a webhook delivery or the Events API (`reconcile`).
 *
 * @example
 * ```ts
 * webhooks.onAny((event, ctx) => { if (ctx.source === 'api') console.log('replayed from the Events API', event.id); });
 * ```
 */
export type EventSource = 'webhook' | 'api';

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
  /** `'webhook'` for deliveries through `handle`, `'api'` for `process(event, { source: 'api' })`. */
  source: EventSource;
  /** Epoch ms when the handler core received the event. */
  receivedAt: number;
  /**
   * Aborted when `drain({ timeoutMs })` gives up on this work during shutdown. Pass it to fetch/database calls so
   * a shutdown does not wait on them forever.
   */
  signal: AbortSignal;
  /**
   * Epoch ms after which an inline delivery has already been answered with 202 (the work may continue).
   * Undefined for background and API processing.
   */
  deadline?: number;
  /** The handler's logger (a no-op one when none was configured). */
  logger: WorkOSLogger;
}

/**
 * The outcome of one event going through claim → dispatch → complete/release.
 *
 * @example
 * ```ts
 * const { outcome } = await webhooks.process(event);
 * if (outcome === 'in_progress') await sleep(1_000);
 * ```
 */
export type ProcessOutcome = 'processed' | 'duplicate' | 'in_progress' | 'skipped_stale' | 'failed' | 'accepted';

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
  /** The out-of-order guard skipped an event older than the last applied one. */
  onSkippedStale?(event: WorkOSEvent, info: HookInfo): void;
  /** A handler threw; the claim was released so a retry can run it again. */
  onFailed?(event: WorkOSEvent, error: unknown, info: HookInfo): void;
}

/**
 * Handed to `enqueue` with each verified event.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ enqueue: (event, info: EnqueueInfo) => queue.add('workos', event, { jobId: info.jobId }) });
 * ```
 */
export interface EnqueueInfo {
  /** A stable job id (the event id): give it to your queue so duplicates collapse there too. */
  jobId: string;
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
export interface WorkOSWebhookHandlerOptions extends ParseWorkOSEventOptions {
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
  /**
   * `'inline'` (default): run the handlers before answering, or answer 202 at `deadlineMs` and finish after.
   * `'background'`: answer 200 right after verify + claim and run the handlers on a bounded in-process queue.
   */
  mode?: 'inline' | 'background';
  /** Inline mode: answer 202 if the handlers are still running after this many ms. Default 4 000. */
  deadlineMs?: number;
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
  /** Background mode: handlers running at once. Default 4. */
  concurrency?: number;
  /** Background mode: events waiting (claimed, not started) before new deliveries get 503. Default 1 000. */
  maxQueued?: number;
  /**
   * Hand verified events to a durable queue (pg-boss, BullMQ, SQS…) instead of running handlers here. The delivery is
   * answered 200 once this resolves (503 if it throws, so WorkOS retries); the queue's worker then calls
   * `webhooks.process(event)`, which claims, dispatches and completes with the same store.
   */
  enqueue?: (event: WorkOSEvent, info: EnqueueInfo) => unknown;
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
  /** Clock in epoch ms, injectable for tests and replays. */
  now?: () => number;
}

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
  /** Runs an already-verified event (e.g. from the Events API) through claim → dispatch → complete/release. */
  process(event: WorkOSEvent, opts?: { source?: EventSource }): Promise<ProcessResult>;
  /**
   * Graceful shutdown: new deliveries get 503 (`shutting_down`) and this resolves when in-flight and queued work has
   * finished. After `timeoutMs` (default: no limit) the remaining work is aborted (`ctx.signal`) and its claims
   * released, so WorkOS's retry or `reconcile` picks it up.
   */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
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
