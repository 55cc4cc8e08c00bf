import { WorkOSWebhookConfigError } from './errors.js';
import { silentLogger, type WorkOSLogger } from './logger.js';
import type { WorkOSWebhookHandlerOptions } from './types.js';

/** Options with defaults applied and checked once, at construction. */
export interface HandlerConfig {
  secret: string | readonly string[];
  toleranceMs: number | undefined;
  mode: 'inline' | 'background';
  deadlineMs: number;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  trustProxy: boolean | number;
  requireJsonContentType: boolean;
  leaseMs: number;
  retainMs: number | undefined;
  concurrency: number;
  maxQueued: number;
  logger: WorkOSLogger;
  now: () => number;
}

/** Reads `WORKOS_WEBHOOK_SECRET` where a `process` global exists (Node, Bun, Deno, Vercel edge); never imports it. */
function envSecret(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.WORKOS_WEBHOOK_SECRET;
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
    throw new WorkOSWebhookConfigError('invalid_option', '`secret` must be a non-empty string or a list of them.');
  }
  return typeof value === 'string' ? value : list;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new WorkOSWebhookConfigError(
      'invalid_option',
      `\`${name}\` must be a ${allowZero ? 'non-negative' : 'positive'} number.`,
    );
  }
  return value;
}

/** Applies defaults and validates; throws {@link WorkOSWebhookConfigError} on a configuration that cannot work. */
export function resolveConfig(options: WorkOSWebhookHandlerOptions): HandlerConfig {
  const mode = options.mode ?? 'inline';
  if (mode !== 'inline' && mode !== 'background') {
    throw new WorkOSWebhookConfigError('invalid_option', "`mode` must be 'inline' or 'background'.");
  }
  const trustProxy = options.trustProxy ?? false;
  if (typeof trustProxy === 'number' && !(Number.isInteger(trustProxy) && trustProxy >= 0)) {
    throw new WorkOSWebhookConfigError(
      'invalid_option',
      '`trustProxy` must be a boolean or a hop count (integer ≥ 0).',
    );
  }
  const concurrency = positive('concurrency', options.concurrency, 4);
  if (!Number.isInteger(concurrency)) {
    throw new WorkOSWebhookConfigError('invalid_option', '`concurrency` must be an integer.');
  }
  return {
    secret: resolveSecret(options.secret),
    toleranceMs: options.toleranceMs === undefined ? undefined : positive('toleranceMs', options.toleranceMs, 0, true),
    mode,
    deadlineMs: positive('deadlineMs', options.deadlineMs, 4_000),
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes, 1024 * 1024),
    bodyTimeoutMs: positive('bodyTimeoutMs', options.bodyTimeoutMs, 10_000),
    trustProxy,
    requireJsonContentType: options.requireJsonContentType ?? true,
    leaseMs: positive('leaseMs', options.leaseMs, 120_000),
    retainMs: options.retainMs === undefined ? undefined : positive('retainMs', options.retainMs, 0),
    concurrency,
    maxQueued: positive('maxQueued', options.maxQueued, 1_000, true),
    logger: options.logger ?? silentLogger,
    now: options.now ?? Date.now,
  };
}
