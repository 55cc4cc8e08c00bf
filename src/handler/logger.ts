import type { WorkOSEvent } from '../events/index.js';

/**
 * One log method: pino's `(obj, msg)` calling convention.
 *
 * @example
 * ```ts
 * const info: LogFn = (obj, msg) => console.log(msg, obj);
 * ```
 */
export type LogFn = (obj: Record<string, unknown>, msg?: string) => void;

/**
 * The logger shape the handler writes to: pino, or anything with `info/warn/error/debug(obj, msg)` (a console
 * wrapper works). Lines carry `source: 'workos'`, `event_type`, `event_id` and `organization_id` so they line up with
 * the events WorkOS streams to Datadog; payloads and secrets are never logged.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const webhooks = createWorkOSWebhookHandler({ logger: pino({ name: 'webhooks' }) });
 * ```
 */
export interface WorkOSLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
}

const noop: LogFn = () => {};

/** A logger that drops everything (the default). */
export const silentLogger: WorkOSLogger = { info: noop, warn: noop, error: noop, debug: noop };

/** The organization an event belongs to, when the event says so. */
export function organizationIdOf(event: WorkOSEvent): string | undefined {
  const data = event.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object') return undefined;
  if (typeof data.organization_id === 'string') return data.organization_id;
  if (event.event.startsWith('organization.') && typeof data.id === 'string') return data.id;
  return undefined;
}

/** The searchable fields of one event (no payload). */
export function eventFields(event: WorkOSEvent): Record<string, unknown> {
  const fields: Record<string, unknown> = { source: 'workos', event_type: event.event, event_id: event.id };
  const org = organizationIdOf(event);
  if (org) fields.organization_id = org;
  return fields;
}

/** Calls a logger method, swallowing anything it throws (a broken logger must not change a response). */
export function safeLog(logger: WorkOSLogger, level: keyof WorkOSLogger, obj: Record<string, unknown>, msg: string) {
  try {
    logger[level](obj, msg);
  } catch {
    // ignored: logging is best effort
  }
}
