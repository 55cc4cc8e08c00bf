import cliProgress from 'cli-progress';
import { listEvents } from '../events-api/index.js';
import {
  apiFailure,
  apiKeyFrom,
  DEFAULT_BASE_URL,
  eventsFrom,
  httpUrl,
  invalidItemsToStderr,
  sinceFrom,
} from './api.js';
import { type Delivery, deliver } from './deliver.js';
import { CliError, type CliIO, EXIT, sleep, truncate, write } from './io.js';

/** Options of {@link replayCommand}. */
export interface ReplayCommandOptions {
  url: string;
  /** Duration back from now (`24h`) or an ISO date. Default `24h`. Exclusive with `after`. */
  since?: string;
  /** Continue after this event id instead. */
  after?: string;
  events?: string[];
  secret?: string;
  /** Deliveries per second at most; 0 = no limit. Default 10. */
  rate?: number;
  baseUrl?: string;
  organizationId?: string;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Show a progress bar (default: when stderr is a terminal). */
  progress?: boolean;
}

/**
 * `workos-events replay`: reads events from the Events API and delivers each to a local endpoint, signed with your
 * webhook secret, as WorkOS would (local development without a public tunnel). Returns 0 when every delivery got a
 * 2xx, 1 when some did not, 3 on an Events API error or an unreachable endpoint, 130 when interrupted.
 */
export async function replayCommand(options: ReplayCommandOptions, io: CliIO): Promise<number> {
  const apiKey = apiKeyFrom(io);
  httpUrl(options.url, '--url');
  const baseUrl = httpUrl(options.baseUrl ?? DEFAULT_BASE_URL, '--base-url');
  const secret = options.secret ?? io.env.WORKOS_WEBHOOK_SECRET;
  if (!secret) throw new CliError('No webhook secret: pass --secret or set WORKOS_WEBHOOK_SECRET.', EXIT.usage);
  if (options.after && options.since) throw new CliError('--since and --after are exclusive: pass one.', EXIT.usage);
  const rate = options.rate ?? 10;
  if (!(Number.isFinite(rate) && rate >= 0)) throw new CliError('--rate expects a number >= 0.', EXIT.usage);
  const events = eventsFrom(options.events);
  const start = options.after ? { after: options.after } : { rangeStart: sinceFrom(options.since ?? '24h', io) };
  const now = io.now ?? Date.now;
  const gapMs = rate > 0 ? 1000 / rate : 0;

  // An item that does not parse cannot be delivered as an event: it is skipped, said on stderr and counted.
  const invalid = invalidItemsToStderr(io);
  const stream = listEvents({
    apiKey,
    baseUrl,
    events,
    ...(options.organizationId ? { organizationId: options.organizationId } : {}),
    ...start,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    retry: { maxRetries: 3 },
    onInvalidEvent: 'skip',
    logger: invalid,
  });

  const showBar = options.progress ?? (io.stderr as { isTTY?: boolean }).isTTY === true;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: 'replay [{bar}] {value}/{total} events | {ok} ok, {bad} not 2xx | {duration_formatted}',
      hideCursor: true,
      noTTYOutput: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = new Map<string, number>();
  const problems: string[] = [];
  let read = 0;
  let delivered = 0;
  let ok = 0;
  // The last event that got an answer, and the last one before the first that got no 2xx: resuming after the
  // latter never skips an event that was not delivered and accepted.
  let lastId: string | undefined;
  let resumeAfter = options.after;
  let refused = false;
  let unreachable: Delivery | undefined;
  let interrupted = false;
  let nextAt = 0;
  const started = performance.now();
  if (showBar) bar.start(0, 0, { ok: 0, bad: 0 });

  try {
    pages: for await (const page of stream.pages()) {
      read += page.data.length;
      if (showBar) bar.setTotal(read);
      for (const event of page.data) {
        const wait = nextAt - performance.now();
        if (wait > 0) await sleep(wait, io.signal);
        nextAt = performance.now() + gapMs;
        const result = await deliver(
          io,
          options.url,
          JSON.stringify(event),
          { secret, timestamp: now() },
          options.timeoutMs ?? 10_000,
        );
        if (result.status === 0) {
          unreachable = result;
          break pages;
        }
        lastId = event.id;
        delivered++;
        const key = String(result.status);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (result.status >= 200 && result.status < 300) {
          ok++;
          if (!refused) resumeAfter = event.id;
        } else {
          refused = true;
          if (problems.length < 20) {
            problems.push(`${event.event} ${event.id} → ${result.status} ${truncate(result.body, 160)}`);
          }
        }
        if (showBar) bar.update(delivered, { ok, bad: delivered - ok });
      }
    }
  } catch (error) {
    if (io.signal?.aborted) interrupted = true;
    else {
      if (showBar) bar.stop();
      throw apiFailure(error) ?? error;
    }
  }
  if (showBar) bar.stop();

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const byStatus = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  write(
    io.stdout,
    `Replayed ${delivered} of ${read} events to ${options.url} in ${seconds} s${byStatus ? ` (${byStatus})` : ''}.`,
  );
  for (const line of problems) write(io.stdout, `  ✘ ${line}`);
  if (delivered - ok > problems.length) write(io.stdout, `  … and ${delivered - ok - problems.length} more not 2xx`);
  if (invalid.count > 0) write(io.stdout, `  ${invalid.count} invalid item(s) skipped (listed on stderr)`);
  if (lastId) write(io.stdout, `Last event delivered: ${lastId}${resumeHint(lastId, resumeAfter, refused)}`);
  if (unreachable) {
    write(io.stderr, `Stopped: ${options.url} is unreachable (${unreachable.error}). Is the app running?`);
    return EXIT.network;
  }
  if (interrupted) {
    write(io.stderr, 'Interrupted.');
    return EXIT.interrupted;
  }
  return ok === delivered ? EXIT.ok : EXIT.failed;
}

/** How to continue without skipping anything: after the last delivered event, or before the first refused one. */
function resumeHint(lastId: string, resumeAfter: string | undefined, refused: boolean): string {
  if (!refused) return ` (continue with --after ${lastId})`;
  if (resumeAfter) return ` (to send again from the first refused event, continue with --after ${resumeAfter})`;
  return ' (to send again from the first refused event, run the same command again)';
}
