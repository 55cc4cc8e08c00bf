import { timestampUnitOf, type WorkOSTimestampUnit } from '../verify/signature.js';
import { WorkOSWebhookConfigError } from './errors.js';
import { silentLogger, type WorkOSLogger } from './logger.js';
import type { RetryOptions, WorkOSEventQueue, WorkOSWebhookHandlerOptions } from './types.js';

/** The longest delay `setTimeout` honours: anything above fires after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/** In-process retry policy with defaults applied. `attempts` counts every listener run, the first included. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
}

/** The delivery mode with its own options, as one resolved value (no field of another mode can sneak in). */
export type DeliveryConfig =
  | { mode: 'inline'; deadlineMs: number; retry: RetryPolicy }
  | { mode: 'background'; concurrency: number; maxQueued: number; retry: RetryPolicy }
  | { mode: 'queue'; queue: WorkOSEventQueue; enqueueTimeoutMs: number };

/** Options with defaults applied and checked once, at construction. */
export interface HandlerConfig {
  secret: string | readonly string[];
  toleranceMs: number | undefined;
  timestampUnit: WorkOSTimestampUnit;
  delivery: DeliveryConfig;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  trustProxy: boolean | number;
  requireJsonContentType: boolean;
  leaseMs: number;
  retainMs: number | undefined;
  logger: WorkOSLogger;
  now: () => number;
}

/** Reads `WORKOS_WEBHOOK_SECRET` where a `process` global exists (Node, Bun, Deno, Vercel edge); never imports it. */
function envSecret(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.WORKOS_WEBHOOK_SECRET;
}

function invalid(message: string): WorkOSWebhookConfigError {
  return new WorkOSWebhookConfigError('invalid_option', message);
}

function resolveSecret(secret: WorkOSWebhookHandlerOptions['secret']): string | readonly string[] {
  const value = secret ?? envSecret();
  const list = typeof value === 'string' ? [value] : (value ?? []);
  if (list.length === 0 || list.every((s) => s === '')) {
    throw new WorkOSWebhookConfigError(
      'missing_secret',
      'No WorkOS webhook secret: pass `secret` to createWorkOSWebhookHandler or set WORKOS_WEBHOOK_SECRET ' +
        '(WorkOS Dashboard → Webhooks → your endpoint → Signing secret).',
    );
  }
  if (list.some((s) => typeof s !== 'string' || s === '')) {
    throw invalid('`secret` must be a non-empty string or a list of them.');
  }
  return typeof value === 'string' ? value : list;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalid(`\`${name}\` must be a ${allowZero ? 'non-negative' : 'positive'} number.`);
  }
  return value;
}

function integer(name: string, value: number | undefined, fallback: number, min: number): number {
  const n = positive(name, value, fallback, min === 0);
  if (!Number.isInteger(n) || n < min) throw invalid(`\`${name}\` must be an integer ≥ ${min}.`);
  return n;
}

/** A delay handed to `setTimeout`: positive and at most 2^31−1 ms (longer ones would fire after 1 ms). */
export function timerMs(name: string, value: number | undefined, fallback: number): number {
  const n = positive(name, value, fallback);
  if (n > MAX_TIMER_MS) {
    throw invalid(`\`${name}\` must be at most ${MAX_TIMER_MS} ms (about 24.8 days): timers fire at once above that.`);
  }
  return n;
}

function resolveRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  if (retry === false) return { attempts: 1, backoffMs: 1_000, maxBackoffMs: 30_000 };
  if (retry !== undefined && (typeof retry !== 'object' || retry === null)) {
    throw invalid('`retry` must be an object ({ attempts, backoffMs, maxBackoffMs }) or false.');
  }
  const backoffMs = timerMs('retry.backoffMs', retry?.backoffMs, 1_000);
  const maxBackoffMs = timerMs('retry.maxBackoffMs', retry?.maxBackoffMs, Math.max(30_000, backoffMs));
  if (maxBackoffMs < backoffMs) throw invalid('`retry.maxBackoffMs` must be at least `retry.backoffMs`.');
  return { attempts: integer('retry.attempts', retry?.attempts, 3, 1), backoffMs, maxBackoffMs };
}

/** Options that belong to one mode only; naming one under another mode is a mistake worth an error. */
const MODE_ONLY: Record<string, 'inline' | 'background' | 'queue'> = {
  deadlineMs: 'inline',
  concurrency: 'background',
  maxQueued: 'background',
  queue: 'queue',
  enqueueTimeoutMs: 'queue',
};

function resolveDelivery(options: WorkOSWebhookHandlerOptions): DeliveryConfig {
  const raw = options as Record<string, unknown>;
  if ('enqueue' in raw && raw.enqueue !== undefined) {
    throw invalid(
      '`enqueue` was replaced by `queue`: pass `queue: { enqueue: (event, info) => … }` (see WorkOSEventQueue).',
    );
  }
  const mode = raw.mode ?? (raw.queue !== undefined ? 'queue' : 'inline');
  if (mode !== 'inline' && mode !== 'background' && mode !== 'queue') {
    throw invalid("`mode` must be 'inline', 'background' or 'queue'.");
  }
  for (const [name, owner] of Object.entries(MODE_ONLY)) {
    if (raw[name] !== undefined && owner !== mode) {
      throw invalid(`\`${name}\` applies to mode '${owner}' only, but the mode is '${mode}'.`);
    }
  }
  if (mode === 'queue') {
    if (raw.retry !== undefined) {
      throw invalid("`retry` does not apply to mode 'queue': the queue engine retries (configure it there).");
    }
    const queue = raw.queue as WorkOSEventQueue | undefined;
    if (!queue || typeof queue.enqueue !== 'function') {
      throw invalid("mode 'queue' needs `queue: { enqueue(event, info) }` (e.g. bullmqQueue(…) or pgBossQueue(…)).");
    }
    return { mode, queue, enqueueTimeoutMs: timerMs('enqueueTimeoutMs', options.enqueueTimeoutMs, 5_000) };
  }
  const retry = resolveRetry(options.retry);
  if (mode === 'background') {
    return {
      mode,
      concurrency: integer('concurrency', options.concurrency, 4, 1),
      maxQueued: integer('maxQueued', options.maxQueued, 1_000, 0),
      retry,
    };
  }
  return { mode, deadlineMs: timerMs('deadlineMs', options.deadlineMs, 4_000), retry };
}

function resolveTimestampUnit(unit: unknown): WorkOSTimestampUnit {
  try {
    return timestampUnitOf(unit);
  } catch {
    throw invalid("`timestampUnit` must be 'auto', 'ms' or 's'.");
  }
}

/** Applies defaults and validates; throws {@link WorkOSWebhookConfigError} on a configuration that cannot work. */
export function resolveConfig(options: WorkOSWebhookHandlerOptions): HandlerConfig {
  const trustProxy = options.trustProxy ?? false;
  if (typeof trustProxy === 'number' && !(Number.isInteger(trustProxy) && trustProxy >= 0)) {
    throw invalid('`trustProxy` must be a boolean or a hop count (integer ≥ 0).');
  }
  return {
    secret: resolveSecret(options.secret),
    toleranceMs: options.toleranceMs === undefined ? undefined : positive('toleranceMs', options.toleranceMs, 0, true),
    timestampUnit: resolveTimestampUnit(options.timestampUnit),
    delivery: resolveDelivery(options),
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes, 1024 * 1024),
    bodyTimeoutMs: timerMs('bodyTimeoutMs', options.bodyTimeoutMs, 10_000),
    trustProxy,
    requireJsonContentType: options.requireJsonContentType ?? true,
    leaseMs: positive('leaseMs', options.leaseMs, 120_000),
    retainMs: options.retainMs === undefined ? undefined : positive('retainMs', options.retainMs, 0),
    logger: options.logger ?? silentLogger,
    now: options.now ?? Date.now,
  };
}
