/**
 * Reads WorkOS events from the Events API and applies them to SQLite, resuming where the last run stopped.
 *
 *   tsx poller.ts            drain everything up to now, then exit (run it from cron)
 *   tsx poller.ts --follow   keep polling until SIGTERM/SIGINT (a long-lived worker)
 *
 * The cursor (SqliteCursorStore) advances only past events that were applied, so a crash, a failed event or a
 * stop re-reads at most the event in flight, and the idempotency store keeps that re-read from applying it twice.
 */
import { listEvents, pollEvents, resolveSince } from 'workos-events';
import { SqliteIdempotencyStore } from 'workos-events/stores/sqlite';
import { createApplier } from './apply.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { SqliteCursorStore } from './sqlite-cursor-store.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--follow');
  if (unknown.length > 0) {
    console.error(`Unknown argument ${unknown[0]}. Usage: tsx poller.ts [--follow]`);
    process.exit(2);
  }
  const follow = args.includes('--follow');

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const db = openDatabase(config.databaseFile);
  const cursorStore = new SqliteCursorStore(db);
  const apply = createApplier(db, new SqliteIdempotencyStore({ database: db }));
  const controller = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());

  const options = {
    events: config.events,
    apiKey: config.apiKey,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    cursorStore,
    // Used only when no cursor is saved yet (the first run).
    rangeStart: resolveSince(config.since),
    signal: controller.signal,
  };
  const stream = follow ? pollEvents({ ...options, intervalMs: config.pollIntervalMs }) : listEvents(options);
  const counts = { applied: 0, duplicate: 0 };
  console.log(follow ? `following the Events API (${config.events.length} event types)` : 'draining the Events API');
  try {
    for await (const event of stream) {
      const outcome = await apply(event);
      counts[outcome]++;
      console.log(`${outcome} ${event.event} ${event.id}`);
    }
  } catch (error) {
    // Stopping a follower aborts the iteration: that is the normal way out, not a failure.
    if (!controller.signal.aborted) {
      console.error(`stopped on an error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  } finally {
    console.log(`done: ${counts.applied} applied, ${counts.duplicate} already applied, cursor ${stream.cursor ?? '-'}`);
    db.close();
  }
}

await main();
