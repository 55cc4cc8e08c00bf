import type { WorkOSEvent } from '../events/index.js';
import { FileCursorStore, pollEvents } from '../events-api/index.js';
import {
  apiFailure,
  apiKeyFrom,
  DEFAULT_BASE_URL,
  eventsFrom,
  httpUrl,
  invalidItemsToStderr,
  sinceFrom,
} from './api.js';
import { CliError, type CliIO, EXIT, write } from './io.js';

/** Options of {@link tailCommand}. */
export interface TailCommandOptions {
  events?: string[];
  /** Keep the place here: resume from it, save to it as events are printed and when stopped. */
  cursorFile?: string;
  /** With no saved cursor: start this far back (`1h`) or at this ISO date. Default: now (new events only). */
  since?: string;
  /** `ndjson` (one JSON event per line) or `table`. Default: table on a terminal, NDJSON otherwise. */
  format?: 'ndjson' | 'table';
  /** Pause between polls once caught up. Default 5 000 ms. */
  intervalMs?: number;
  /** Stop after printing this many events. */
  max?: number;
  baseUrl?: string;
  organizationId?: string;
}

function organizationOf(event: WorkOSEvent): string {
  const data = event.data as Record<string, unknown>;
  const org = data.organization_id ?? (event.event.startsWith('organization.') ? data.id : undefined);
  return typeof org === 'string' ? org : '';
}

function tableRow(event: WorkOSEvent): string {
  return [event.created_at.padEnd(24), event.event.padEnd(34), event.id.padEnd(32), organizationOf(event)]
    .join('  ')
    .trimEnd();
}

/**
 * `workos-events tail`: follows the Events API and prints each event (NDJSON or a table). Ctrl-C stops it cleanly:
 * the cursor file (if any) holds the last printed event, and the exit code is 0. Returns 3 on an API error.
 */
export async function tailCommand(options: TailCommandOptions, io: CliIO): Promise<number> {
  const apiKey = apiKeyFrom(io);
  const baseUrl = httpUrl(options.baseUrl ?? DEFAULT_BASE_URL, '--base-url');
  const format = options.format ?? ((io.stdout as { isTTY?: boolean }).isTTY ? 'table' : 'ndjson');
  if (format !== 'ndjson' && format !== 'table') throw new CliError('--format is ndjson or table.', EXIT.usage);
  if (options.max !== undefined && !(Number.isInteger(options.max) && options.max > 0)) {
    throw new CliError('--max expects a whole number above 0.', EXIT.usage);
  }
  const intervalMs = options.intervalMs ?? 5000;
  if (!(Number.isFinite(intervalMs) && intervalMs >= 100)) {
    throw new CliError('--interval expects at least 100 ms.', EXIT.usage);
  }
  const cursorStore = options.cursorFile ? new FileCursorStore(options.cursorFile) : undefined;
  const rangeStart = options.since ? sinceFrom(options.since, io) : new Date(io.now ? io.now() : Date.now());
  const stop = new AbortController();
  const signal = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;

  const stream = pollEvents({
    apiKey,
    baseUrl,
    events: eventsFrom(options.events),
    ...(options.organizationId ? { organizationId: options.organizationId } : {}),
    rangeStart,
    intervalMs,
    signal,
    ...(cursorStore ? { cursorStore } : {}),
    ...(io.fetch ? { fetch: io.fetch } : {}),
    logger: invalidItemsToStderr(io), // an item that does not parse is skipped (the default of pollEvents), said here
  });

  if (format === 'table') {
    write(io.stdout, ['CREATED_AT'.padEnd(24), 'EVENT'.padEnd(34), 'ID'.padEnd(32), 'ORGANIZATION'].join('  '));
  }
  let printed = 0;
  let cursor: string | undefined;
  try {
    for await (const event of stream) {
      write(io.stdout, format === 'ndjson' ? JSON.stringify(event) : tableRow(event));
      printed++;
      if (options.max !== undefined && printed >= options.max) {
        // Leaving the loop does not mark the event in hand as finished; printed, it is.
        cursor = event.id;
        break;
      }
    }
  } catch (error) {
    if (!signal.aborted) throw apiFailure(error) ?? error;
  }
  if (cursor && cursorStore) await cursorStore.save(cursor);
  cursor ??= stream.cursor;
  const where = cursorStore ? `; cursor ${cursor ?? '(none yet)'} saved to ${cursorStore.file}` : '';
  write(io.stderr, `Stopped after ${printed} event${printed === 1 ? '' : 's'}${where}.`);
  return EXIT.ok;
}
