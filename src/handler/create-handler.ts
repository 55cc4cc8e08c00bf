import { isKnownWorkOSEventName, type WorkOSEvent, type WorkOSEventName } from '../events/index.js';
import { MemoryIdempotencyStore } from '../idempotency/memory-store.js';
import type { ClaimResult, IdempotencyStore } from '../idempotency/types.js';
import { isWorkOSWebhookError } from '../verify/errors.js';
import { type VerifyWebhookInput, verifyWorkOSWebhook } from '../verify/index.js';
import { exceedsBytes, normalizeBody } from './body.js';
import { clientIp, normalizeIp, WORKOS_WEBHOOK_IPS } from './client-ip.js';
import { type HandlerConfig, resolveConfig } from './config.js';
import { isJsonContentType, readHeader, readSingleHeader } from './headers.js';
import { eventFields, safeLog, silentLogger, type WorkOSLogger } from './logger.js';
import { errorResponse, jsonResponse } from './response.js';
import { detectGlobalTracer, endSpan, type SpanLike, startSpan, type TracerLike } from './tracing.js';
import type {
  ErrorListener,
  EventListener,
  EventSource,
  HandlerContext,
  HookInfo,
  ProcessResult,
  WebhookRejectionCode,
  WebhookRequest,
  WebhookResponse,
  WorkOSWebhookHandler,
  WorkOSWebhookHandlerOptions,
  WorkOSWebhookHooks,
} from './types.js';
import { MemoryVersionStore, objectVersionOf, type VersionStore } from './version-store.js';
import { WorkQueue } from './work-queue.js';

/** Marks handlers made here, so `toWebhookHandler` tells a handler from options even across library copies. */
export const HANDLER_BRAND = Symbol.for('workos-events.webhook-handler');

/** A failure of the idempotency store itself (answered 503, not 500: the handlers never ran). */
class StoreUnavailable {
  constructor(readonly error: unknown) {}
}

/**
 * Creates the webhook handler: one pipeline for every framework. `handle(request)` runs
 * method (405) → IP allowlist (403) → content type (415) → body read (500 / 408) → size (413) →
 * signature and payload (401 / 400) →
 * claim (duplicate → 200, in progress → 409) → your listeners → complete (200) or release (500, WorkOS retries).
 *
 * Runs on Node and on edge runtimes (Web APIs only). Throws {@link WorkOSWebhookConfigError} at once when no secret
 * is configured.
 *
 * @example
 * ```ts
 * import { createWorkOSWebhookHandler } from 'workos-events';
 *
 * const webhooks = createWorkOSWebhookHandler({ secret: process.env.WORKOS_WEBHOOK_SECRET });
 * webhooks.on('dsync.user.created', async (event) => {
 *   await db.users.upsert(event.data); // event.data is typed for dsync.user.created
 * });
 * webhooks.onError((err, event) => console.error('handler failed', event.id, err));
 * // Express: app.post('/webhooks/workos', workosWebhook(webhooks))
 * ```
 */
export function createWorkOSWebhookHandler(options: WorkOSWebhookHandlerOptions = {}): WorkOSWebhookHandler {
  return new WebhookHandler(options);
}

/** Registration errors surface where the listener is added, not on the first delivery. */
function checkListener(method: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`webhooks.${method}(…) needs a listener function.`);
}

/** Log fields used when the logger is the silent default: nothing is written, so nothing is built. */
const NO_FIELDS: Record<string, unknown> = Object.freeze({});

class WebhookHandler implements WorkOSWebhookHandler {
  readonly [HANDLER_BRAND] = true;
  readonly store: IdempotencyStore;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly logger: WorkOSLogger;
  readonly #cfg: HandlerConfig;
  readonly #options: WorkOSWebhookHandlerOptions;
  readonly #logger: WorkOSLogger;
  /** False for the default silent logger: success-path log lines are then not even built. */
  readonly #logging: boolean;
  /** Verification options that never change between requests (resolved once, not spread per request). */
  readonly #verifyOptions: Omit<VerifyWebhookInput, 'payload' | 'signature'>;
  readonly #hooks: WorkOSWebhookHooks;
  readonly #named = new Map<string, EventListener[]>();
  readonly #any: EventListener[] = [];
  readonly #unknown: EventListener[] = [];
  readonly #errorListeners: ErrorListener[] = [];
  readonly #allowed: ReadonlySet<string> | undefined;
  readonly #versions: VersionStore | undefined;
  readonly #queue: WorkQueue | undefined;
  readonly #inflight = new Set<Promise<unknown>>();
  /** Claims held right now (key → token), released by a drain that times out. */
  readonly #claims = new Map<string, string>();
  /** Set by a drain that timed out: work still running is abandoned (its claims were released). */
  #abandoned: Error | undefined;
  /**
   * The controllers behind the `ctx.signal` of running work: one per run, made only when a listener reads it.
   * Not one shared controller: workerd binds an AbortController to the request that made it (using it in a later
   * request throws "Cannot perform I/O on behalf of a different request") and forbids making one at global scope.
   */
  readonly #controllers = new Set<AbortController>();
  #draining = false;

  constructor(options: WorkOSWebhookHandlerOptions) {
    this.#cfg = resolveConfig(options);
    this.#options = options;
    this.store = options.store ?? new MemoryIdempotencyStore();
    this.maxBodyBytes = this.#cfg.maxBodyBytes;
    this.bodyTimeoutMs = this.#cfg.bodyTimeoutMs;
    this.#logger = this.#cfg.logger;
    this.logger = this.#cfg.logger;
    this.#logging = this.#logger !== silentLogger;
    this.#verifyOptions = {
      secret: this.#cfg.secret,
      toleranceMs: this.#cfg.toleranceMs,
      now: this.#cfg.now,
      validate: options.validate,
      onSchemaDrift: options.onSchemaDrift,
      rejectUnknownEvents: options.rejectUnknownEvents,
    };
    this.#hooks = options.hooks ?? {};
    const ips = options.allowedIps === true ? WORKOS_WEBHOOK_IPS : options.allowedIps || undefined;
    this.#allowed = ips ? new Set(ips.map(normalizeIp)) : undefined;
    const guard = options.outOfOrderGuard;
    this.#versions = guard === true ? new MemoryVersionStore() : guard || undefined;
    if (this.#cfg.mode === 'background' && !options.enqueue) {
      this.#queue = new WorkQueue(this.#cfg.concurrency, this.#cfg.maxQueued);
    }
  }

  on<N extends WorkOSEventName>(name: N | readonly N[], fn: (event: never, ctx: HandlerContext) => unknown): this {
    checkListener('on', fn);
    for (const n of typeof name === 'string' ? [name] : name) {
      const list = this.#named.get(n) ?? [];
      list.push(fn as EventListener);
      this.#named.set(n, list);
    }
    return this;
  }

  onAny(fn: EventListener): this {
    checkListener('onAny', fn);
    this.#any.push(fn);
    return this;
  }

  onUnknown(fn: EventListener): this {
    checkListener('onUnknown', fn);
    this.#unknown.push(fn);
    return this;
  }

  onError(fn: ErrorListener): this {
    checkListener('onError', fn);
    this.#errorListeners.push(fn);
    return this;
  }

  handledEventNames(): WorkOSEventName[] {
    return [...this.#named.keys()] as WorkOSEventName[];
  }

  async handle(req: WebhookRequest): Promise<WebhookResponse> {
    const tracer = this.#tracer();
    const span = tracer && startSpan(tracer, 'workos.webhook', { 'http.request.method': String(req.method) });
    try {
      const res = await this.#handle(req, span);
      if (span) endSpan(span, { 'http.response.status_code': res.status });
      // The adapter stopped reading a body it found too large or too slow: whatever the answer (403, 415, 503…),
      // close the connection, or the unread rest of the body would wedge the next request on it.
      if (req.bodyError === 'body_timeout' || exceedsBytes(normalizeBody(req.rawBody), this.maxBodyBytes)) {
        res.headers.connection = 'close';
      }
      return res;
    } catch (error) {
      // Only a bug (ours or a custom store/hook contract violation) gets here: answer 500 so WorkOS retries.
      safeLog(this.#logger, 'error', { source: 'workos', err: error }, 'WorkOS webhook handler crashed');
      endSpan(span, { 'http.response.status_code': 500 }, error);
      return errorResponse(500, 'handler_failed');
    }
  }

  async process(event: WorkOSEvent, opts: { source?: EventSource } = {}): Promise<ProcessResult> {
    const source = opts.source ?? 'api';
    const started = this.#cfg.now();
    let claim: ClaimResult;
    try {
      claim = await this.#claim(event, source);
    } catch (error) {
      const cause = error instanceof StoreUnavailable ? error.error : error;
      return { outcome: 'failed', durationMs: this.#cfg.now() - started, error: cause };
    }
    if (claim.status !== 'claimed') {
      this.#reportUnclaimed(event, claim.status, { source });
      return { outcome: claim.status, durationMs: this.#cfg.now() - started };
    }
    return this.#track(this.#run(event, claim.token, source, started, undefined));
  }

  async drain(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.#draining = true;
    const settle = async () => {
      while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    };
    if (opts.timeoutMs === undefined) return settle();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      settle().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), opts.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    this.#abandoned = new Error('WorkOS webhook handler drained: work abandoned at shutdown');
    for (const controller of this.#controllers) controller.abort(this.#abandoned);
    const claims = [...this.#claims];
    this.#claims.clear();
    await Promise.allSettled(claims.map(([key, token]) => this.store.release(key, token)));
    safeLog(
      this.#logger,
      'warn',
      { source: 'workos', released: claims.length },
      'WorkOS webhook drain timed out: aborted in-flight work and released its claims for retry',
    );
  }

  // ---- pipeline -------------------------------------------------------------------------------------------------

  async #handle(req: WebhookRequest, span: SpanLike | undefined): Promise<WebhookResponse> {
    const info: HookInfo = { source: 'webhook' };
    if (this.#draining) return this.#reject(503, 'shutting_down', info);
    if (String(req.method).toUpperCase() !== 'POST') return this.#reject(405, 'method_not_allowed', info);
    if (this.#allowed) {
      const ip = clientIp(req.ip, readSingleHeader(req.headers, 'x-forwarded-for'), this.#cfg.trustProxy);
      if (!ip || !this.#allowed.has(normalizeIp(ip))) return this.#reject(403, 'ip_not_allowed', info, { ip });
    }
    // Content type before the body checks: a form post eaten by a global urlencoded parser is a 415, not a setup error.
    const contentType = readSingleHeader(req.headers, 'content-type');
    if (this.#cfg.requireJsonContentType && contentType !== undefined && !isJsonContentType(contentType)) {
      return this.#reject(415, 'unsupported_media_type', info);
    }
    if (req.bodyError === 'body_already_parsed') return this.#reject(500, 'body_already_parsed', info);
    if (req.bodyError === 'body_timeout') return this.#reject(408, 'body_timeout', info);
    const declared = Number(readSingleHeader(req.headers, 'content-length'));
    const body = normalizeBody(req.rawBody);
    if (declared > this.maxBodyBytes || exceedsBytes(body, this.maxBodyBytes)) {
      return this.#reject(413, 'payload_too_large', info);
    }

    let event: WorkOSEvent;
    try {
      const o = this.#verifyOptions;
      event = await verifyWorkOSWebhook({
        payload: body,
        signature: readHeader(req.headers, 'workos-signature'),
        secret: o.secret,
        toleranceMs: o.toleranceMs,
        now: o.now,
        validate: o.validate,
        onSchemaDrift: o.onSchemaDrift,
        rejectUnknownEvents: o.rejectUnknownEvents,
      });
    } catch (error) {
      if (!isWorkOSWebhookError(error)) throw error;
      return this.#reject(error.status, error.code, info);
    }
    const fields = this.#logging ? eventFields(event) : NO_FIELDS;
    span?.setAttribute('workos.event.type', event.event);
    span?.setAttribute('workos.event.id', event.id);
    this.#hook('onVerified', event, info);
    if (this.#logging) safeLog(this.#logger, 'debug', { ...fields, channel: 'webhook' }, 'WorkOS webhook verified');

    if (this.#options.enqueue) return this.#enqueue(event, info);

    const started = this.#cfg.now();
    if (this.#queue && !this.#queue.reserve()) return this.#reject(503, 'queue_full', info, fields);
    let claim: ClaimResult;
    try {
      claim = await this.#claim(event, 'webhook');
    } catch (error) {
      this.#queue?.unreserve();
      if (!(error instanceof StoreUnavailable)) throw error;
      return this.#reject(503, 'store_unavailable', info, fields);
    }
    if (claim.status !== 'claimed') {
      this.#queue?.unreserve();
      this.#reportUnclaimed(event, claim.status, info);
      return claim.status === 'duplicate'
        ? jsonResponse(200, { status: 'duplicate' })
        : errorResponse(409, 'in_progress');
    }
    const { token } = claim;

    if (this.#queue) {
      const queue = this.#queue;
      this.#track(
        new Promise<void>((resolve) => {
          queue.push(async () => {
            await this.#run(event, token, 'webhook', started, undefined);
            resolve();
          });
        }),
      );
      return jsonResponse(200, { status: 'accepted' });
    }

    const deadline = started + this.#cfg.deadlineMs;
    const work = this.#track(this.#run(event, token, 'webhook', started, deadline));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = await Promise.race([
      work,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), this.#cfg.deadlineMs);
      }),
    ]);
    clearTimeout(timer);
    if (result === undefined) {
      safeLog(
        this.#logger,
        'info',
        { ...fields, channel: 'webhook', deadline_ms: this.#cfg.deadlineMs },
        'WorkOS event still processing at the deadline: answered 202, finishing in the background',
      );
      return jsonResponse(202, { status: 'accepted' });
    }
    if (result.outcome === 'failed') return errorResponse(500, 'handler_failed');
    return jsonResponse(200, { status: result.outcome });
  }

  async #enqueue(event: WorkOSEvent, info: HookInfo): Promise<WebhookResponse> {
    try {
      await this.#options.enqueue!(event, { jobId: event.id });
    } catch (error) {
      safeLog(this.#logger, 'error', { ...eventFields(event), err: error }, 'WorkOS event could not be enqueued');
      return this.#reject(503, 'enqueue_failed', info, eventFields(event));
    }
    safeLog(this.#logger, 'info', { ...eventFields(event), channel: 'webhook' }, 'WorkOS event enqueued');
    return jsonResponse(200, { status: 'accepted' });
  }

  async #claim(event: WorkOSEvent, source: EventSource): Promise<ClaimResult> {
    try {
      const claim = await this.store.claim(event.id, { leaseMs: this.#cfg.leaseMs, eventType: event.event, source });
      if (claim.status === 'claimed') this.#claims.set(event.id, claim.token);
      return claim;
    } catch (error) {
      safeLog(
        this.#logger,
        'error',
        { ...eventFields(event), channel: source, err: error },
        'WorkOS event not processed: the idempotency store failed to claim it',
      );
      throw new StoreUnavailable(error);
    }
  }

  /** Runs the listeners for a claimed event and completes or releases the claim. Never rejects. */
  async #run(
    event: WorkOSEvent,
    token: string,
    source: EventSource,
    started: number,
    deadline: number | undefined,
  ): Promise<ProcessResult> {
    const info: HookInfo = { source };
    const fields = this.#logging ? { ...eventFields(event), channel: source } : NO_FIELDS;
    const tracer = this.#tracer();
    const span =
      tracer &&
      startSpan(tracer, 'workos.event.process', {
        'workos.event.type': event.event,
        'workos.event.id': event.id,
        'workos.source': source,
      });
    let controller: AbortController | undefined;
    const openSignal = (): AbortController => {
      const made = new AbortController();
      if (this.#abandoned) made.abort(this.#abandoned);
      else this.#controllers.add(made);
      return made;
    };
    const ctx: HandlerContext = {
      source,
      receivedAt: started,
      get signal() {
        controller ??= openSignal();
        return controller.signal;
      },
      logger: this.#logger,
      ...(deadline === undefined ? {} : { deadline }),
    };
    const elapsed = () => this.#cfg.now() - started;
    try {
      if (this.#abandoned) throw this.#abandoned;
      const version = this.#versions ? objectVersionOf(event.data) : undefined;
      if (version && this.#versions) {
        const last = await this.#versions.get(version.id);
        if (last !== undefined && version.version < last) {
          await this.#complete(event, token, fields);
          this.#hook('onSkippedStale', event, info);
          safeLog(
            this.#logger,
            'info',
            { ...fields, object_id: version.id },
            'WorkOS event skipped: older than applied',
          );
          endSpan(span, { 'workos.outcome': 'skipped_stale' });
          return { outcome: 'skipped_stale', durationMs: elapsed() };
        }
      }
      await this.#dispatch(event, ctx);
      // A drain that timed out already released this claim: leave it to the retry.
      if (this.#abandoned && this.#claims.get(event.id) !== token) throw this.#abandoned;
      if (version && this.#versions) await this.#versions.setIfNewer(version.id, version.version);
      await this.#complete(event, token, fields);
      const durationMs = elapsed();
      this.#hook('onProcessed', event, durationMs, info);
      if (this.#logging)
        safeLog(this.#logger, 'info', { ...fields, duration_ms: durationMs }, 'WorkOS event processed');
      if (span) endSpan(span, { 'workos.outcome': 'processed' });
      return { outcome: 'processed', durationMs };
    } catch (error) {
      this.#forget(event.id, token);
      try {
        await this.store.release(event.id, token);
      } catch (releaseError) {
        safeLog(this.#logger, 'error', { ...fields, err: releaseError }, 'WorkOS event claim could not be released');
      }
      const durationMs = elapsed();
      this.#hook('onFailed', event, error, info);
      safeLog(
        this.#logger,
        'error',
        { ...fields, duration_ms: durationMs, err: error },
        'WorkOS event handler failed: claim released so a retry runs it again',
      );
      endSpan(span, { 'workos.outcome': 'failed' }, error);
      return { outcome: 'failed', durationMs, error };
    } finally {
      if (controller) this.#controllers.delete(controller);
    }
  }

  async #dispatch(event: WorkOSEvent, ctx: HandlerContext): Promise<void> {
    const named = this.#named.get(event.event);
    // A copy either way, so a listener added during dispatch waits for the next event.
    const listeners =
      this.#unknown.length === 0 && this.#any.length === 0
        ? (named?.slice() ?? [])
        : [
            ...(named ?? []),
            ...(this.#unknown.length > 0 && !isKnownWorkOSEventName(event.event) ? this.#unknown : []),
            ...this.#any,
          ];
    for (const listener of listeners) {
      try {
        await listener(event, ctx);
      } catch (error) {
        for (const onError of this.#errorListeners) {
          try {
            await onError(error, event, ctx);
          } catch (listenerError) {
            safeLog(
              this.#logger,
              'error',
              { ...eventFields(event), err: listenerError },
              'WorkOS onError listener threw',
            );
          }
        }
        throw error;
      }
    }
  }

  /** Completes the claim. A store failure here is logged, not retried: the listeners already ran. */
  async #complete(event: WorkOSEvent, token: string, fields: Record<string, unknown>): Promise<void> {
    this.#forget(event.id, token);
    try {
      const ok = await this.store.complete(event.id, token, this.#cfg.retainMs ? { retainMs: this.#cfg.retainMs } : {});
      if (!ok) {
        safeLog(
          this.#logger,
          'warn',
          { ...fields, lease_ms: this.#cfg.leaseMs },
          'WorkOS event finished after its claim lease ended: another delivery may run it again (raise leaseMs)',
        );
      }
    } catch (error) {
      safeLog(this.#logger, 'error', { ...fields, err: error }, 'WorkOS event processed but could not be completed');
    }
  }

  #reportUnclaimed(event: WorkOSEvent, status: 'duplicate' | 'in_progress', info: HookInfo) {
    const fields = this.#logging ? { ...eventFields(event), channel: info.source } : NO_FIELDS;
    if (status === 'duplicate') {
      this.#hook('onDuplicate', event, info);
      safeLog(this.#logger, 'info', fields, 'WorkOS event already processed: skipped');
    } else {
      this.#hook('onInProgress', event, info);
      safeLog(this.#logger, 'info', fields, 'WorkOS event is being processed by another delivery');
    }
  }

  #reject(status: number, code: WebhookRejectionCode, info: HookInfo, extra: Record<string, unknown> = {}) {
    this.#hook('onRejected', code, { ...info, status });
    if (code === 'body_already_parsed') {
      safeLog(
        this.#logger,
        'error',
        { source: 'workos', code, status },
        'WorkOS webhook cannot be verified: a JSON body parser consumed the raw body before the webhook route. ' +
          "Mount the webhook route before express.json(), or use express.raw({ type: 'application/json' }) on it.",
      );
    } else {
      safeLog(
        this.#logger,
        status >= 500 ? 'error' : 'warn',
        { source: 'workos', ...extra, code, status },
        'WorkOS webhook rejected',
      );
    }
    return errorResponse(status, code);
  }

  /** Stops tracking a claim, unless a later claim of the same key (after a lost lease) replaced it. */
  #forget(key: string, token: string): void {
    if (this.#claims.get(key) === token) this.#claims.delete(key);
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inflight.add(promise);
    void promise.finally(() => this.#inflight.delete(promise));
    return promise;
  }

  #tracer(): TracerLike | undefined {
    const option = this.#options.tracer;
    if (option === false) return undefined;
    return option ?? detectGlobalTracer();
  }

  #hook<K extends keyof WorkOSWebhookHooks>(name: K, ...args: Parameters<NonNullable<WorkOSWebhookHooks[K]>>) {
    const fn = this.#hooks[name] as ((...a: unknown[]) => void) | undefined;
    if (!fn) return;
    try {
      fn.apply(this.#hooks, args);
    } catch (error) {
      safeLog(
        this.#logger,
        'warn',
        { source: 'workos', hook: name, err: error },
        'WorkOS webhook hook threw (ignored)',
      );
    }
  }
}
