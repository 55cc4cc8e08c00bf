/**
 * The example's settings, read from the environment and validated once at start-up. Every problem is reported
 * at once, by variable name, without ever printing a value (they are secrets).
 */
import { parseDuration } from 'workos-events';
import { z } from 'zod';

export interface Config {
  /** Signing secret(s): the first is the current one; others are accepted during a rotation. */
  webhookSecrets: string[];
  /** Set: reconcile through the Events API every `reconcileEveryMs`. Unset: webhooks only. */
  apiKey: string | undefined;
  /** Default `https://api.workos.com`; point it at a fake API in tests. */
  baseUrl: string | undefined;
  reconcileEveryMs: number;
  host: string;
  port: number;
  /** SQLite file for the dedup records and the app's data; `:memory:` forgets everything on restart. */
  databaseFile: string;
}

const PLACEHOLDER = /replace_me/;
const secret = z
  .string({ error: 'is missing: set it to the signing secret of your WorkOS webhook endpoint (Dashboard → Webhooks)' })
  .min(1, 'is empty: set it to the signing secret of your WorkOS webhook endpoint')
  .refine((v) => v === v.trim(), 'has leading or trailing whitespace (a stray newline or space from copy-paste?)')
  .refine((v) => !PLACEHOLDER.test(v), 'is still the placeholder from .env.example')
  .refine((v) => v.split(',').every((s) => s.trim() !== ''), 'has an empty entry in its comma-separated list');

const schema = z.object({
  WORKOS_WEBHOOK_SECRET: secret,
  WORKOS_API_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || !v.startsWith('pk_'), 'is a publishable key (pk_…): use the secret key (sk_…)')
    .refine((v) => v === undefined || v.startsWith('sk_'), 'must start with "sk_"')
    .refine((v) => v === undefined || !PLACEHOLDER.test(v), 'is still the placeholder from .env.example'),
  WORKOS_BASE_URL: z.url('must be a URL such as https://api.workos.com').optional(),
  RECONCILE_EVERY: z
    .string()
    .default('10m')
    .transform((v, ctx) => {
      try {
        return parseDuration(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 5m or 1h' });
        return z.NEVER;
      }
    }),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  DATABASE_FILE: z.string().min(1, 'is empty: give a file path or :memory:').default('workos-events.db'),
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
    webhookSecrets: c.WORKOS_WEBHOOK_SECRET.split(',').map((s) => s.trim()),
    apiKey: c.WORKOS_API_KEY,
    baseUrl: c.WORKOS_BASE_URL,
    reconcileEveryMs: c.RECONCILE_EVERY,
    host: c.HOST,
    port: c.PORT,
    databaseFile: c.DATABASE_FILE,
  };
}
