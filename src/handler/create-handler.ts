import type { WorkOSEvent, WorkOSEventName } from '../events/index.js';
import { MemoryIdempotencyStore } from '../idempotency/memory-store.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import { type HandlerConfig, resolveConfig, timerMs } from './config.js';
import { WorkOSHandlerError } from './errors.js';
import { type Rejection, RequestGate } from './gate.js';
import { InflightTracker } from './inflight.js';
import { EventLifecycle } from './lifecycle.js';
import type { WorkOSLogger } from './logger.js';
import { createDeliveryMode, type DeliveryMode } from './modes.js';
import { ListenerRegistry } from './registry.js';
import { errorResponse } from './response.js';
import { Shutdown } from './shutdown.js';
import { Telemetry } from './telemetry.js';
import { endSpan, startSpan } from './tracing.js';
import type {
  DrainResult,
  ErrorListener,
  EventListener,
  HandlerContext,
  ProcessOptions,
  ProcessResult,
  WebhookRequest,
  WebhookResponse,
  WorkOSWebhookHandler,
  WorkOSWebhookHandlerOptions,
} from './types.js';
import { MemoryVersionStore, type VersionStore } from './version-store.js';

const SHUTTING_DOWN: Rejection = { status: 503, code: 'shutting_down' };

/** Marks handlers made here, so adapters tell a handler from anything else even across library copies. */
export const HANDLER_BRAND = Symbol.for('workos-events.webhook-handler');

/**
 * Creates the webhook handler: one pipeline for every framework. `handle(request)` runs
 * method (405) → IP allowlist (403) → content type (415) → body read (500 / 408) → size (413) →
 * signature and payload (401 / 400) → no listener at all (500 `no_listeners`) →
 * claim (duplicate → 200, in progress → 409) → your listeners → complete (200) or release (500, WorkOS retries).
 * Events of a type nobody listens to are completed and answered 200 `ignored`.
 *
 * Delivery modes: `'inline'` (default), `'background'` and queue mode (`queue`), each with its own options (see
 * {@link DeliveryOptions}). Runs on Node and on edge runtimes (Web APIs only). Throws
 * {@link WorkOSWebhookConfigError} at once when no secret is configured or an option cannot work.
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

/** The composition: registry, gate, lifecycle, delivery mode and telemetry, plus the in-flight count for `drain`. */
class WebhookHandler implements WorkOSWebhookHandler {
  readonly [HANDLER_BRAND] = true;
  readonly store: IdempotencyStore;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly logger: WorkOSLogger;
  readonly #cfg: HandlerConfig;
  readonly #registry = new ListenerRegistry();
  readonly #gate: RequestGate;
  readonly #telemetry: Telemetry;
  readonly #lifecycle: EventLifecycle;
  readonly #mode: DeliveryMode;
  readonly #inflight = new InflightTracker();
  readonly #shutdown = new Shutdown();
  #draining = false;

  constructor(options: WorkOSWebhookHandlerOptions) {
    const cfg = resolveConfig(options);
    this.#cfg = cfg;
    this.store = options.store ?? new MemoryIdempotencyStore();
    this.maxBodyBytes = cfg.maxBodyBytes;
    this.bodyTimeoutMs = cfg.bodyTimeoutMs;
    this.logger = cfg.logger;
    this.#telemetry = new Telemetry(cfg.logger, options);
    this.#gate = new RequestGate(cfg, options);
    const guard = options.outOfOrderGuard;
    const versions: VersionStore | undefined = guard === true ? new MemoryVersionStore() : guard || undefined;
    this.#lifecycle = new EventLifecycle({
      store: this.store,
      cfg,
      registry: this.#registry,
      telemetry: this.#telemetry,
      versions,
      shutdown: this.#shutdown,
    });
    this.#mode = createDeliveryMode(cfg.delivery, {
      lifecycle: this.#lifecycle,
      telemetry: this.#telemetry,
      inflight: this.#inflight,
      now: cfg.now,
    });
  }

  on<N extends WorkOSEventName>(name: N | readonly N[], fn: (event: never, ctx: HandlerContext) => unknown): this {
    this.#registry.on(name, fn);
    return this;
  }

  onAny(fn: EventListener): this {
    this.#registry.onAny(fn);
    return this;
  }

  onUnknown(fn: EventListener): this {
    this.#registry.onUnknown(fn);
    return this;
  }

  onError(fn: ErrorListener): this {
    this.#registry.onError(fn);
    return this;
  }

  handledEventNames(): WorkOSEventName[] {
    return this.#registry.names();
  }

  async handle(req: WebhookRequest): Promise<WebhookResponse> {
    const telemetry = this.#telemetry;
    const gate = this.#gate;
    this.#inflight.enter();
    const tracer = telemetry.tracer();
    const span = tracer && startSpan(tracer, 'workos.webhook', { 'http.request.method': String(req.method) });
    try {
      // The synchronous checks first, then one chain of awaits: verify → claim → listeners → complete.
      const started = this.#cfg.now();
      let rejection = this.#draining ? SHUTTING_DOWN : gate.precheck(req);
      let res: WebhookResponse | undefined;
      if (!rejection) {
        let event: WorkOSEvent | undefined;
        try {
          event = await gate.verify(req);
        } catch (error) {
          rejection = gate.rejection(error);
        }
        if (event) {
          span?.setAttribute('workos.event.type', event.event);
          span?.setAttribute('workos.event.id', event.id);
          telemetry.verified(event);
          telemetry.received(event, 'webhook', started);
          res = await this.#mode.deliver(event, started);
        }
      }
      if (rejection) {
        telemetry.rejected(rejection);
        res = errorResponse(rejection.status, rejection.code);
      }
      if (span) endSpan(span, { 'http.response.status_code': res!.status });
      // The adapter stopped reading a body it found too large or too slow: whatever the answer (403, 415, 503…),
      // close the connection, or the unread rest of the body would wedge the next request on it.
      if (gate.bodyLeftUnread(req)) res!.headers.connection = 'close';
      return res!;
    } catch (error) {
      // Only a bug (ours or a custom store/hook contract violation) gets here: answer 500 so WorkOS retries.
      telemetry.log('error', undefined, { err: error }, 'WorkOS webhook handler crashed');
      endSpan(span, { 'http.response.status_code': 500 }, error);
      return errorResponse(500, 'handler_failed');
    } finally {
      this.#inflight.leave();
    }
  }

  async process(event: WorkOSEvent, opts: ProcessOptions = {}): Promise<ProcessResult> {
    const source = opts.source ?? 'api';
    const started = this.#cfg.now();
    if (this.#draining) {
      this.#telemetry.outcome('shutting_down', event, { source });
      return { outcome: 'shutting_down', durationMs: 0, attempts: 0 };
    }
    this.#inflight.enter();
    try {
      this.#telemetry.received(event, source, started);
      const begin = await this.#lifecycle.begin(event, source, started);
      if (!begin.run) return begin.result;
      const acknowledged = opts.acknowledged ?? source === 'queue';
      return await this.#lifecycle.run(event, begin.token, begin.listeners, {
        source,
        started,
        acknowledged: () => acknowledged,
        final: opts.final ?? true,
      });
    } finally {
      this.#inflight.leave();
    }
  }

  async drain(opts: { timeoutMs?: number } = {}): Promise<DrainResult> {
    // 0 is allowed here: abandon whatever is still running at once.
    const timeoutMs =
      opts.timeoutMs === undefined || opts.timeoutMs === 0 ? opts.timeoutMs : timerMs('timeoutMs', opts.timeoutMs, 0);
    this.#draining = true;
    if (timeoutMs === undefined) {
      await this.#inflight.idle();
      return { drained: true, abandoned: 0, released: 0 };
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      this.#inflight.idle().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return { drained: true, abandoned: 0, released: 0 };
    const abandoned = this.#inflight.size;
    this.#shutdown.abort(
      new WorkOSHandlerError('shutting_down', 'WorkOS webhook handler drained: work abandoned at shutdown'),
    );
    const released = await this.#lifecycle.releaseAll();
    this.#telemetry.log(
      'warn',
      undefined,
      { abandoned, released },
      'WorkOS webhook drain timed out: aborted in-flight work and released its claims; acknowledged events among ' +
        'them need reconcile',
    );
    return { drained: false, abandoned, released };
  }
}
