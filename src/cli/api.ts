import { WORKOS_EVENT_NAMES } from '../events/index.js';
import { type EventsApiLogger, isWorkOSApiError } from '../events-api/index.js';
import { resolveSince } from '../reconcile/duration.js';
import { WorkOSReconcileError } from '../reconcile/errors.js';
import { CliError, type CliIO, EXIT, truncate, write } from './io.js';

export const DEFAULT_BASE_URL = 'https://api.workos.com';

/** `--base-url` / `--url`, checked to be an http(s) URL (a usage error otherwise). */
export function httpUrl(text: string, option: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`${option} is not a URL: ${text}`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${option} must be an http(s) URL: ${text}`, EXIT.usage);
  }
  return text;
}

/** The API key from the environment, checked for the usual mistakes before any request. */
export function apiKeyFrom(io: CliIO): string {
  const key = io.env.WORKOS_API_KEY?.trim();
  if (!key) throw new CliError('No API key: set WORKOS_API_KEY (in the environment or a .env file).', EXIT.usage);
  if (key.startsWith('pk_')) {
    throw new CliError(
      'WORKOS_API_KEY is a publishable key (pk_…): the Events API needs the secret key (sk_…).',
      EXIT.usage,
    );
  }
  return key;
}

/** `--events a,b c` → a list; default every event type the library knows. */
export function eventsFrom(values: string[] | undefined): string[] {
  const list = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return list.length > 0 ? [...new Set(list)] : [...WORKOS_EVENT_NAMES];
}

/** `--since 24h` / `--since 2026-01-01T00:00:00Z` → a Date within the Events API's 30 days. */
export function sinceFrom(text: string, io: CliIO): Date {
  try {
    return resolveSince(text, io.now ? io.now() : Date.now());
  } catch (error) {
    if (error instanceof WorkOSReconcileError) throw new CliError(`--since: ${error.message}`, EXIT.usage);
    throw error;
  }
}

/** Turns an Events API failure into a plain message with the likely fix (exit code 3). */
export function apiFailure(error: unknown): CliError | undefined {
  if (!isWorkOSApiError(error)) return undefined;
  const ref = error.requestId ? ` (request id ${error.requestId})` : '';
  const hints: Record<number, string> = {
    0: 'Check the network or --base-url.',
    401: 'The API key is invalid, revoked or from another environment: check WORKOS_API_KEY (run `workos-events doctor`).',
    403: 'The API key lacks permission for the Events API.',
    422: 'The API refused the query: check --events names.',
  };
  const hint = hints[error.status] ?? '';
  return new CliError(`Events API error ${error.status || ''}${ref}: ${error.message} ${hint}`.trim(), EXIT.network);
}

/**
 * A logger for the Events API items a command skips as invalid: one stderr line each (id, code, message; never a
 * value of the item), counted, instead of the library's default `console.error`.
 */
export function invalidItemsToStderr(io: CliIO): EventsApiLogger & { readonly count: number } {
  let count = 0;
  return {
    get count() {
      return count;
    },
    error(fields) {
      count++;
      const id = typeof fields.event_id === 'string' ? fields.event_id : '(no id)';
      const message = (fields.err as { message?: unknown } | undefined)?.message;
      write(
        io.stderr,
        `Skipped an invalid Events API item ${id} (${String(fields.code)}): ${truncate(String(message), 200)}`,
      );
    },
  };
}
