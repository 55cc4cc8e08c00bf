/**
 * The part of an OpenTelemetry `Span` the handler uses (so `@opentelemetry/api` stays optional).
 *
 * @example
 * ```ts
 * const span: SpanLike = trace.getTracer('app').startSpan('work');
 * span.end();
 * ```
 */
export interface SpanLike {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): unknown;
  end(): void;
}

/**
 * The part of an OpenTelemetry `Tracer` the handler uses: `trace.getTracer('workos-events')` fits.
 *
 * @example
 * ```ts
 * import { trace } from '@opentelemetry/api';
 * createWorkOSWebhookHandler({ tracer: trace.getTracer('workos-events') });
 * ```
 */
export interface TracerLike {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): SpanLike;
}

/** OpenTelemetry's `SpanStatusCode.ERROR`. */
export const SPAN_STATUS_ERROR = 2;

interface OTelGlobal {
  trace?: { getTracer?(name: string, version?: string): TracerLike };
}

/** The `globalThis` slot `@opentelemetry/api` 1.x registers itself in (resolved once, read per request). */
export const OTEL_API_SLOT = Symbol.for('opentelemetry.js.api.1');

/**
 * The tracer of a globally registered OpenTelemetry SDK, found the way `@opentelemetry/api` itself stores it
 * (a `Symbol.for('opentelemetry.js.api.1')` slot on `globalThis`). No import, so edge bundles and installs without
 * the package are unaffected; without a registered SDK there is nothing there and no spans are made.
 */
export function detectGlobalTracer(): TracerLike | undefined {
  const slot = (globalThis as Record<symbol, OTelGlobal | undefined>)[OTEL_API_SLOT];
  if (!slot) return undefined;
  try {
    return slot.trace?.getTracer?.('workos-events');
  } catch {
    return undefined;
  }
}

/** Starts a span if a tracer is set; every call on the result is safe when it is not. */
export function startSpan(
  tracer: TracerLike | undefined,
  name: string,
  attributes: Record<string, string | number | boolean>,
): SpanLike | undefined {
  if (!tracer) return undefined;
  try {
    return tracer.startSpan(name, { attributes });
  } catch {
    return undefined;
  }
}

/** Ends a span with an optional error, never throwing. */
export function endSpan(span: SpanLike | undefined, attributes: Record<string, string | number>, error?: unknown) {
  if (!span) return;
  try {
    for (const [k, v] of Object.entries(attributes)) span.setAttribute(k, v);
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SPAN_STATUS_ERROR, message: error instanceof Error ? error.name : 'error' });
    }
    span.end();
  } catch {
    // ignored: tracing is best effort
  }
}
