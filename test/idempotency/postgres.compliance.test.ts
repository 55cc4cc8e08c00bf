import { afterAll } from 'vitest';
import { PostgresIdempotencyStore } from '../../src/idempotency/stores/postgres.js';
import { describeIdempotencyStore } from '../../src/testing/vitest.js';
import { connectPgClient, connectPgPool, runId } from './services.js';

const pool = await connectPgPool(6);
const client = await connectPgClient();
// A table per run and per client kind, so parallel runs never share rows.
const tables = { pool: `workos_events_test_pool_${runId}`, client: `workos_events_test_client_${runId}` };

if (typeof pool !== 'string') {
  await new PostgresIdempotencyStore({ client: pool, table: tables.pool }).migrate();
}
if (typeof client !== 'string') {
  await new PostgresIdempotencyStore({ client, table: tables.client }).migrate();
}

afterAll(async () => {
  if (typeof pool !== 'string') {
    await pool.query(`DROP TABLE IF EXISTS "${tables.pool}"`);
    await pool.end();
  }
  if (typeof client !== 'string') {
    await client.query(`DROP TABLE IF EXISTS "${tables.client}"`);
    await client.end();
  }
});

describeIdempotencyStore(
  'PostgresIdempotencyStore (pg Pool)',
  ({ namespace }) => {
    if (typeof pool === 'string') throw new Error(pool);
    return new PostgresIdempotencyStore({ client: pool, table: tables.pool, namespace });
  },
  { skip: typeof pool === 'string' ? pool : false },
);

describeIdempotencyStore(
  'PostgresIdempotencyStore (pg Client)',
  ({ namespace }) => {
    if (typeof client === 'string') throw new Error(client);
    return new PostgresIdempotencyStore({ client, table: tables.client, namespace });
  },
  { skip: typeof client === 'string' ? client : false },
);
