import type pg from 'pg';
import { connectPgPool, DATABASE_URL, runId } from '../idempotency/services.js';
import { describeQueueExample } from './queue-example.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const supported = major > 22 || (major === 22 && minor >= 12);
if (!supported) {
  console.warn(
    `[test/examples/pg-boss] SKIPPED on Node ${process.version}: pg-boss 12 needs Node >= 22.12 (runs on the Node 22/24 legs).`,
  );
}
const pool = supported ? await connectPgPool() : 'unsupported Node';
const url = new URL(DATABASE_URL);
const schema = `workos_example_${runId}`;

describeQueueExample({
  example: 'pg-boss',
  enabled: typeof pool !== 'string',
  engine: { host: url.hostname, port: Number(url.port || 5432) },
  env: (host, port) => {
    const target = new URL(DATABASE_URL);
    target.hostname = host;
    target.port = String(port);
    return { DATABASE_URL: target.toString(), PGBOSS_SCHEMA: schema, QUEUE_NAME: 'workos-events' };
  },
  cleanup: async (eventIds) => {
    if (typeof pool === 'string') return;
    const db = pool as pg.Pool;
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.query('DELETE FROM workos_events_idempotency WHERE event_id = ANY($1)', [eventIds]).catch(() => {});
    await db.end();
  },
});
