/**
 * The poller's settings, read from the environment and validated once at start-up. Every problem is reported at
 * once, by variable name, without printing a value.
 */
import { parseDuration, WORKOS_EVENT_NAMES } from 'workos-events';
import { z } from 'zod';

export interface Config {
  apiKey: string;
  /** Default `https://api.workos.com`; point it at a fake API in tests. */
  baseUrl: string | undefined;
  /** Event types to read. */
  events: string[];
  /** First run only (no saved cursor): how far back to start, e.g. `24h` (the Events API keeps 30 days). */
  since: string;
  /** `--follow`: pause between polls once caught up. */
  pollIntervalMs: number;
  databaseFile: string;
}

const KNOWN = new Set<string>(WORKOS_EVENT_NAMES);
const DEFAULT_EVENTS = [
  'dsync.user.created',
  'dsync.user.updated',
  'dsync.user.deleted',
  'user.created',
  'user.updated',
  'organization.updated',
];
const PLACEHOLDER = /replace_me/;

const schema = z.object({
  WORKOS_API_KEY: z
    .string({ error: 'is missing: set it to your WorkOS API key (sk_…, Dashboard → API Keys)' })
    .min(1, 'is empty: set it to your WorkOS API key (sk_…)')
    .refine((v) => v === v.trim(), 'has leading or trailing whitespace (a stray newline from copy-paste?)')
    .refine((v) => !v.startsWith('pk_'), 'is a publishable key (pk_…): the Events API needs the secret key (sk_…)')
    .refine((v) => v.startsWith('sk_'), 'must start with "sk_"')
    .refine((v) => !PLACEHOLDER.test(v), 'is still the placeholder from .env.example'),
  WORKOS_BASE_URL: z.url('must be a URL such as https://api.workos.com').optional(),
  WORKOS_EVENTS: z
    .string()
    .default(DEFAULT_EVENTS.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length > 0, 'is empty: list at least one event type')
    .refine((list) => list.every((t) => KNOWN.has(t)), 'holds an unknown event type (see docs/events.md)'),
  SINCE: z
    .string()
    .default('24h')
    .refine((v) => {
      try {
        return parseDuration(v) > 0;
      } catch {
        return false;
      }
    }, 'must be a duration such as 30m, 24h or 7d'),
  POLL_INTERVAL_MS: z.coerce.number().int().min(100, 'must be at least 100').default(5000),
  DATABASE_FILE: z.string().min(1, 'is empty: give a file path').default('workos-events.db'),
});

/** Thrown by {@link loadConfig}: `message` lists every invalid variable and how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates `env` (default `process.env`) and returns typed settings, or throws a {@link ConfigError}. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(
      `Invalid configuration:\n${problems.join('\n')}\nCopy .env.example to .env and fill it in (see README.md).`,
    );
  }
  const c = parsed.data;
  return {
    apiKey: c.WORKOS_API_KEY,
    baseUrl: c.WORKOS_BASE_URL,
    events: c.WORKOS_EVENTS,
    since: c.SINCE,
    pollIntervalMs: c.POLL_INTERVAL_MS,
    databaseFile: c.DATABASE_FILE,
  };
}
