import { z } from 'zod';

/** Validated settings of this example. Read once per server start (and per edge isolate). */
export interface ExampleConfig {
  /** The endpoint's signing secret(s): the first is the current one, any others are accepted during a rotation. */
  webhookSecrets: string[];
  /** Only needed to reconcile through the Events API; receiving webhooks works without it. */
  apiKey: string | undefined;
}

const PLACEHOLDER = /replace_me/;

const schema = z.object({
  WORKOS_WEBHOOK_SECRET: z
    .string({ error: 'is missing: set it to the signing secret of your WorkOS webhook endpoint' })
    .trim()
    .min(1, 'is empty: set it to the signing secret of your WorkOS webhook endpoint')
    .refine((v) => !PLACEHOLDER.test(v), 'is still the placeholder from .env.example'),
  WORKOS_API_KEY: z
    .string()
    .trim()
    .transform((v) => v || undefined)
    .pipe(
      z
        .string()
        .regex(/^sk_/, 'must start with "sk_" (an API key, not a client id)')
        .refine((v) => !PLACEHOLDER.test(v), 'is still the placeholder from .env.example')
        .optional(),
    )
    .optional(),
});

/**
 * Validates the environment and fails with one clear message listing every problem (never the values).
 * `next build` loads route modules without the runtime secrets, so validation waits for `next start`/`next dev`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ExampleConfig {
  if (env.NEXT_PHASE === 'phase-production-build')
    return { webhookSecrets: ['build-time-placeholder'], apiKey: undefined };
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')} ${issue.message}`);
    throw new Error(
      `Invalid configuration for the WorkOS webhook receiver:\n${problems.join('\n')}\n` +
        'Copy .env.example to .env.local and fill it in (see docs/nextjs.md).',
    );
  }
  return {
    webhookSecrets: parsed.data.WORKOS_WEBHOOK_SECRET.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    apiKey: parsed.data.WORKOS_API_KEY,
  };
}
