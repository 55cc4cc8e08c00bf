import type { WorkOSEvent } from '../events/index.js';
import { OTEL_API_SLOT } from './tracing.js';
import type { EventSource, ProcessOutcome } from './types.js';

/**
 * The part of an OpenTelemetry `Meter` the handler uses (so `@opentelemetry/api` stays optional):
 * `metrics.getMeter('workos-events')` fits.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * createWorkOSWebhookHandler({ meter: metrics.getMeter('workos-events') });
 * ```
 */
export interface MeterLike {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: Record<string, string | number | boolean>): void };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): { record(value: number, attributes?: Record<string, string | number | boolean>): void };
  createObservableGauge(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    addCallback(
      callback: (result: {
        observe(value: number, attributes?: Record<string, string | number | boolean>): void;
      }) => void,
    ): void;
  };
}

/** Instrument names, as documented in docs/observability.md. */
export const METRIC_NAMES = {
  deliveries: 'workos.webhook.deliveries',
  rejections: 'workos.webhook.rejections',
  duration: 'workos.event.processing.duration',
  lag: 'workos.event.lag',
  queueDepth: 'workos.webhook.queue.depth',
  retries: 'workos.event.retries',
  deadLetters: 'workos.event.dead_letters',
} as const;

interface MetricsGlobal {
  metrics?: { getMeter?(name: string, version?: string): MeterLike };
}

/** The meter of a globally registered OpenTelemetry SDK, found without importing `@opentelemetry/api`. */
export function detectGlobalMeter(): MeterLike | undefined {
  const slot = (globalThis as Record<symbol, MetricsGlobal | undefined>)[OTEL_API_SLOT];
  if (!slot) return undefined;
  try {
    return slot.metrics?.getMeter?.('workos-events');
  } catch {
    return undefined;
  }
}

/** One meter's instruments, created once. Every method swallows what the SDK throws: metrics never change answers. */
export class HandlerMetrics {
  readonly meter: MeterLike;
  readonly #deliveries;
  readonly #rejections;
  readonly #duration;
  readonly #lag;
  readonly #retries;
  readonly #deadLetters;
  readonly #queueDepth;
  readonly #depthSources: Array<() => number> = [];

  constructor(meter: MeterLike) {
    this.meter = meter;
    this.#deliveries = meter.createCounter(METRIC_NAMES.deliveries, {
      description:
        'WorkOS events by outcome (processed, ignored, duplicate, in_progress, skipped_stale, failed, shutting_down)',
    });
    this.#rejections = meter.createCounter(METRIC_NAMES.rejections, {
      description: 'Webhook requests refused before any listener ran, by code',
    });
    this.#duration = meter.createHistogram(METRIC_NAMES.duration, {
      description: 'Time from receipt to the outcome of one event',
      unit: 'ms',
    });
    this.#lag = meter.createHistogram(METRIC_NAMES.lag, {
      description: "Time from the event's created_at to its receipt",
      unit: 'ms',
    });
    this.#retries = meter.createCounter(METRIC_NAMES.retries, {
      description: 'In-process retries of acknowledged events',
    });
    this.#deadLetters = meter.createCounter(METRIC_NAMES.deadLetters, {
      description: 'Acknowledged events that failed for good here: they need reconcile',
    });
    this.#queueDepth = meter.createObservableGauge(METRIC_NAMES.queueDepth, {
      description: 'Background mode: events claimed and waiting or running in the in-process queue',
    });
    this.#queueDepth.addCallback((result) => {
      let depth = 0;
      for (const source of this.#depthSources) depth += source();
      if (this.#depthSources.length > 0) result.observe(depth);
    });
  }

  observeQueueDepth(depth: () => number): void {
    this.#depthSources.push(depth);
  }

  outcome(outcome: ProcessOutcome, event: WorkOSEvent, source: EventSource, durationMs: number | undefined): void {
    guard(() => {
      const attributes = { outcome, source, event_type: event.event };
      this.#deliveries.add(1, attributes);
      if (durationMs !== undefined) this.#duration.record(durationMs, attributes);
    });
  }

  rejected(code: string, status: number, source: EventSource): void {
    guard(() => this.#rejections.add(1, { code, status, source }));
  }

  received(event: WorkOSEvent, source: EventSource, now: number): void {
    const created = Date.parse(event.created_at);
    if (!Number.isFinite(created)) return;
    guard(() => this.#lag.record(Math.max(0, now - created), { source, event_type: event.event }));
  }

  retried(event: WorkOSEvent, source: EventSource): void {
    guard(() => this.#retries.add(1, { source, event_type: event.event }));
  }

  deadLettered(event: WorkOSEvent, source: EventSource): void {
    guard(() => this.#deadLetters.add(1, { source, event_type: event.event }));
  }
}

function guard(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored: metrics are best effort
  }
}
