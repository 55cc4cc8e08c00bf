import { randomBytes } from 'node:crypto';
import { WORKOS_EVENT_NAMES } from '../events/index.js';
import { createTestEvent } from '../testing/test-event.js';
import { httpUrl } from './api.js';
import { deliver } from './deliver.js';
import { CliError, type CliIO, EXIT, truncate, write } from './io.js';
import { parseAssignment, setPath } from './set-path.js';

/** Options of {@link sendCommand}. */
export interface SendCommandOptions {
  url: string;
  secret?: string;
  /** `path=value` assignments applied to the event (`data.first_name=Ada`). */
  set?: string[];
  /** Deliver the same event (same id) this many more times, re-signed like WorkOS's retries. */
  duplicate?: number;
  /** Sign with a timestamp 15 minutes old: a correct endpoint answers 401. */
  stale?: boolean;
  /** Sign with a wrong secret: a correct endpoint answers 401. */
  badSignature?: boolean;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
}

/** How old a `--stale` signature is: beyond every usual tolerance (the SDKs' 3 min, our 5 min). */
export const STALE_AGE_MS = 15 * 60_000;

/**
 * `workos-events send`: posts a realistic, signed test event to an endpoint and prints each response. Returns 0 when
 * every answer is the one a correct endpoint gives (2xx for a good delivery and its duplicates, 401 for `--stale` /
 * `--bad-signature`), 1 when one is not, 3 when the endpoint cannot be reached.
 */
export async function sendCommand(eventType: string, options: SendCommandOptions, io: CliIO): Promise<number> {
  if (!(WORKOS_EVENT_NAMES as readonly string[]).includes(eventType)) {
    const close = WORKOS_EVENT_NAMES.filter((n) => n.startsWith(eventType.split('.')[0] ?? '')).slice(0, 8);
    throw new CliError(
      `Unknown event type '${eventType}'.${close.length ? ` Did you mean one of: ${close.join(', ')}?` : ''} Run \`workos-events send --list\` for all.`,
      EXIT.usage,
    );
  }
  httpUrl(options.url, '--url');
  const forged = options.badSignature === true;
  const secret = forged
    ? `whsec_wrong_${randomBytes(12).toString('hex')}`
    : (options.secret ?? io.env.WORKOS_WEBHOOK_SECRET);
  if (!secret) throw new CliError('No webhook secret: pass --secret or set WORKOS_WEBHOOK_SECRET.', EXIT.usage);
  const duplicates = options.duplicate ?? 0;
  if (!Number.isInteger(duplicates) || duplicates < 0 || duplicates > 1000) {
    throw new CliError('--duplicate expects a whole number from 0 to 1000.', EXIT.usage);
  }

  const event = createTestEvent(eventType as (typeof WORKOS_EVENT_NAMES)[number]) as unknown as Record<string, unknown>;
  for (const assignment of options.set ?? []) {
    const { path, value } = parseAssignment(assignment);
    setPath(event, path, value);
  }
  const body = JSON.stringify(event);
  const expectRejection = forged || options.stale === true;
  const expected = expectRejection ? '401' : '2xx';
  const now = io.now ?? Date.now;

  write(io.stdout, `${event.event} ${event.id} → POST ${options.url}`);
  const notes = [forged && 'signed with a wrong secret', options.stale && 'signed 15 minutes ago'].filter(Boolean);
  if (notes.length) write(io.stdout, `(${notes.join(', ')}: a correct endpoint answers 401)`);

  let unexpected = 0;
  let unreachable = 0;
  const total = 1 + duplicates;
  for (let i = 1; i <= total; i++) {
    const timestamp = now() - (options.stale ? STALE_AGE_MS : 0);
    const result = await deliver(io, options.url, body, { secret, timestamp }, options.timeoutMs ?? 10_000);
    const label = total > 1 ? `#${i}${i > 1 ? ' (duplicate)' : ''} ` : '';
    if (result.status === 0) {
      unreachable++;
      write(io.stdout, `✘ ${label}no response: ${result.error}`);
      continue;
    }
    const ok = expectRejection ? result.status === 401 : result.status >= 200 && result.status < 300;
    if (!ok) unexpected++;
    const text = result.body ? `  ${truncate(result.body)}` : '';
    write(
      io.stdout,
      `${ok ? '✔' : '✘'} ${label}${result.status} ${result.statusText} (${result.durationMs} ms)${text}${ok ? '' : `  — expected ${expected}`}`,
    );
  }
  if (unreachable > 0) {
    write(io.stderr, `Could not reach ${options.url}: is the app running there?`);
    return EXIT.network;
  }
  return unexpected > 0 ? EXIT.failed : EXIT.ok;
}
