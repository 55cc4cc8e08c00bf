/**
 * Settings of both processes, read from the environment and validated once at start-up. Every problem is reported at
 * once, by variable name, without ever printing a value (they are secrets).
 */
import { z } from 'zod';

export interface Config {
  /** Signing secret(s): the first is the current one; others are accepted during a rotation. */
  webhookSecrets: string[];
  databaseUrl: string;
  schema: string;
  queueName: string;
  host: string;
  port: number;
  concurrency: number;
  /** Only to watch a graceful shutdown wait for running jobs: each listener sleeps this long first. */
  simulatedWorkMs: number;
}

const PLACEHOLDER = /replace_me/;
const schema = z.object({
  WORKOS_WEBHOOK_SECRET: z
    .string({
      error: 'is missing: set it to the signing secret of your WorkOS webhook endpoint (Dashboard → Webhooks)',
    })
    .min(1, 'is empty: set it to the signing secret of your WorkOS webhook endpoint')
    .refine((v) => v === v.trim(), 'has leading or trailing whitespace (a stray newline or space from copy-paste?)')
    .refine((v) => !PLACEHOLDER.test(v), 'is still the placeholder from .env.example'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  PGBOSS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .default('pgboss'),
  QUEUE_NAME: z
    .string()
    .regex(/^[\w.\-/]+$/, 'may hold letters, digits, _ . - / only')
    .default('workos-events'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535, 'must be between 0 and 65535').default(3000),
  CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1').default(4),
  SIMULATED_WORK_MS: z.coerce.number().int().min(0).default(0),
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
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}\nCopy .env.example to .env (see README.md).`);
  }
  const c = parsed.data;
  return {
    webhookSecrets: c.WORKOS_WEBHOOK_SECRET.split(',').map((s) => s.trim()),
    databaseUrl: c.DATABASE_URL,
    schema: c.PGBOSS_SCHEMA,
    queueName: c.QUEUE_NAME,
    host: c.HOST,
    port: c.PORT,
    concurrency: c.CONCURRENCY,
    simulatedWorkMs: c.SIMULATED_WORK_MS,
  };
}

/** Loads the configuration or exits with its message (never a stack trace for a typo in .env). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
