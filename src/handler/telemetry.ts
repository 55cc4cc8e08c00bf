import type { WorkOSEvent } from '../events/index.js';
import type { Rejection } from './gate.js';
import { eventFields, safeLog, silentLogger, type WorkOSLogger } from './logger.js';
import { detectGlobalMeter, HandlerMetrics, type MeterLike } from './metrics.js';
import { detectGlobalTracer, endSpan, type SpanLike, type TracerLike } from './tracing.js';
import type {
  EventSource,
  FailureInfo,
  HookInfo,
  ListenerRetryInfo,
  ProcessOutcome,
  WorkOSWebhookHandlerOptions,
  WorkOSWebhookHooks,
} from './types.js';

/** What is known about one event's outcome when it is reported. */
export interface OutcomeDetail {
  source: EventSource;
  durationMs?: number;
  error?: unknown;
  failure?: FailureInfo;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
type HookCall = (hooks: WorkOSWebhookHooks, event: WorkOSEvent, detail: OutcomeDetail, info: HookInfo) => void;

/** One row per outcome: which hook fires, the log level and line, and (for the span) the outcome name. */
interface OutcomeRow {
  level: Level;
  message: (detail: OutcomeDetail) => string;
  hook?: [keyof WorkOSWebhookHooks, HookCall];
}

const fixed = (message: string) => () => message;

/**
 * The outcome table. A new outcome is one row here (and a member of `ProcessOutcome`, which the `satisfies` checks):
 * its hook, log line and span status follow.
 */
const OUTCOMES = {
  processed: {
    level: 'info',
    message: fixed('WorkOS event processed'),
    hook: ['onProcessed', (h, e, d, info) => h.onProcessed?.(e, d.durationMs ?? 0, info)],
  },
  ignored: {
    level: 'info',
    message: fixed('WorkOS event ignored: no listener for its type (completed, so retries are duplicates)'),
    hook: ['onIgnored', (h, e, _d, info) => h.onIgnored?.(e, info)],
  },
  duplicate: {
    level: 'info',
    message: fixed('WorkOS event already processed: skipped'),
    hook: ['onDuplicate', (h, e, _d, info) => h.onDuplicate?.(e, info)],
  },
  in_progress: {
    level: 'info',
    message: fixed('WorkOS event is being processed by another delivery'),
    hook: ['onInProgress', (h, e, _d, info) => h.onInProgress?.(e, info)],
  },
  skipped_stale: {
    level: 'info',
    message: fixed('WorkOS event skipped: older than applied'),
    hook: ['onSkippedStale', (h, e, _d, info) => h.onSkippedStale?.(e, info)],
  },
  failed: {
    level: 'error',
    message: (d) =>
      d.failure?.acknowledged
        ? d.failure.final
          ? `WorkOS event failed after ${d.failure.attempts} attempt(s) and was already acknowledged: ` +
            'WorkOS will not retry it; run reconcile (or use queue mode) to recover it'
          : 'WorkOS event failed after it was acknowledged: claim released, the queue engine retries it'
        : 'WorkOS event handler failed: claim released so a retry runs it again',
    hook: [
      'onFailed',
      (h, e, d, info) =>
        h.onFailed?.(e, d.error, d.failure ?? { ...info, acknowledged: false, attempts: 0, final: true }),
    ],
  },
  shutting_down: {
    level: 'warn',
    message: fixed('WorkOS event not processed: the handler is draining (shutting down)'),
  },
} satisfies Record<ProcessOutcome, OutcomeRow>;

/**
 * Hooks, log lines and spans, from one place. Success-path log lines are not even built when the logger is the
 * silent default, and no span exists without a tracer.
 */
export class Telemetry {
  readonly logger: WorkOSLogger;
  /** False for the default silent logger: success-path log fields are then not built. */
  readonly logging: boolean;
  readonly #hooks: WorkOSWebhookHooks;
  readonly #tracer: TracerLike | false | undefined;
  readonly #meter: MeterLike | false | undefined;
  /** Instruments per meter, created on first use (the global provider may be registered after the handler). */
  readonly #instruments = new WeakMap<MeterLike, HandlerMetrics>();
  readonly #depthSources: Array<() => number> = [];

  constructor(logger: WorkOSLogger, options: WorkOSWebhookHandlerOptions) {
    this.logger = logger;
    this.logging = logger !== silentLogger;
    this.#hooks = options.hooks ?? {};
    this.#tracer = options.tracer;
    this.#meter = options.meter;
  }

  /** The metrics of the configured or globally registered meter; undefined (and nothing recorded) without one. */
  metrics(): HandlerMetrics | undefined {
    if (this.#meter === false) return undefined;
    const meter = this.#meter ?? detectGlobalMeter();
    if (!meter) return undefined;
    let metrics = this.#instruments.get(meter);
    if (!metrics) {
      try {
        metrics = new HandlerMetrics(meter);
      } catch {
        return undefined; // a broken meter must not break deliveries
      }
      for (const depth of this.#depthSources) metrics.observeQueueDepth(depth);
      this.#instruments.set(meter, metrics);
    }
    return metrics;
  }

  /** Background mode's queue depth, reported by the `workos.webhook.queue.depth` gauge. */
  observeQueueDepth(depth: () => number): void {
    const metrics = this.metrics(); // made (with the sources so far) before this one joins the list
    this.#depthSources.push(depth);
    metrics?.observeQueueDepth(depth);
  }

  /** An event entered the pipeline (verified webhook, or `process()`): records its lag behind `created_at`. */
  received(event: WorkOSEvent, source: EventSource, now: number): void {
    this.metrics()?.received(event, source, now);
  }

  tracer(): TracerLike | undefined {
    if (this.#tracer === false) return undefined;
    return this.#tracer ?? detectGlobalTracer();
  }

  /** Reports one event outcome: hook, log line, span end. */
  outcome(outcome: ProcessOutcome, event: WorkOSEvent, detail: OutcomeDetail, span?: SpanLike): void {
    const row: OutcomeRow = OUTCOMES[outcome];
    const metrics = this.metrics();
    if (metrics) {
      metrics.outcome(outcome, event, detail.source, detail.durationMs);
      if (detail.failure?.acknowledged && detail.failure.final) metrics.deadLettered(event, detail.source);
    }
    if (row.hook && this.#hooks[row.hook[0]]) {
      const [name, call] = row.hook;
      const info: HookInfo = { source: detail.source };
      this.#hook(name, () => call(this.#hooks, event, detail, info));
    }
    if (this.logging || row.level === 'error' || row.level === 'warn') {
      const fields: Record<string, unknown> = { ...eventFields(event), channel: detail.source, outcome };
      if (detail.durationMs !== undefined) fields.duration_ms = detail.durationMs;
      if (detail.failure) {
        fields.acknowledged = detail.failure.acknowledged;
        fields.attempts = detail.failure.attempts;
      }
      if (detail.error !== undefined) fields.err = detail.error;
      safeLog(this.logger, row.level, fields, row.message(detail));
    }
    if (span) endSpan(span, { 'workos.outcome': outcome }, outcome === 'failed' ? detail.error : undefined);
  }

  /** A request refused before any store write or listener (the gate, a full queue, a failed enqueue…). */
  rejected(rejection: Rejection, source: EventSource = 'webhook', opts: { log?: boolean } = {}): void {
    const { status, code } = rejection;
    if (this.#hooks.onRejected) this.#hook('onRejected', () => this.#hooks.onRejected?.(code, { source, status }));
    this.metrics()?.rejected(code, status, source);
    if (opts.log === false) return;
    if (code === 'body_already_parsed') {
      safeLog(
        this.logger,
        'error',
        { source: 'workos', code, status },
        'WorkOS webhook cannot be verified: a JSON body parser consumed the raw body before the webhook route. ' +
          "Mount the webhook route before express.json(), or use express.raw({ type: 'application/json' }) on it.",
      );
    } else {
      safeLog(
        this.logger,
        status >= 500 ? 'error' : 'warn',
        { source: 'workos', ...rejection.fields, code, status },
        'WorkOS webhook rejected',
      );
    }
  }

  verified(event: WorkOSEvent): void {
    if (this.#hooks.onVerified) this.#hook('onVerified', () => this.#hooks.onVerified?.(event, { source: 'webhook' }));
    if (this.logging)
      safeLog(this.logger, 'debug', { ...eventFields(event), channel: 'webhook' }, 'WorkOS webhook verified');
  }

  retrying(event: WorkOSEvent, error: unknown, info: ListenerRetryInfo): void {
    this.#hook('onRetry', () => this.#hooks.onRetry?.(event, error, info));
    this.metrics()?.retried(event, info.source);
    safeLog(
      this.logger,
      'warn',
      { ...eventFields(event), channel: info.source, attempt: info.attempt, delay_ms: info.delayMs, err: error },
      'WorkOS event failed after it was acknowledged: retrying in process',
    );
  }

  /** Logs at `level` with the event's searchable fields (never the payload). */
  log(level: Level, event: WorkOSEvent | undefined, extra: Record<string, unknown>, message: string): void {
    if (level === 'debug' || level === 'info') {
      if (!this.logging) return;
    }
    safeLog(this.logger, level, event ? { ...eventFields(event), ...extra } : { source: 'workos', ...extra }, message);
  }

  /** Calls a hook, swallowing (and logging) what it throws: a broken metric call never changes a response. */
  #hook(name: keyof WorkOSWebhookHooks, call: () => void): void {
    if (!this.#hooks[name]) return;
    try {
      call();
    } catch (error) {
      safeLog(this.logger, 'warn', { source: 'workos', hook: name, err: error }, 'WorkOS webhook hook threw (ignored)');
    }
  }
}
