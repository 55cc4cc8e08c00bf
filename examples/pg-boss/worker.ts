/**
 * The worker process (run as many as you like, on any machine): takes jobs from the pg-boss queue and runs them
 * through the same handler, deduplicated in PostgreSQL. A failed listener fails the job, so pg-boss retries it with
 * backoff, then moves it to the dead-letter queue. SIGTERM/SIGINT: stop taking jobs, finish the running ones, then
 * drain the handler and stop pg-boss.
 */
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { workPgBoss } from 'workos-events/queues/pg-boss';
import { PostgresIdempotencyStore } from 'workos-events/stores/postgres';
import { loadConfigOrExit } from './config.js';
import { createWebhooks } from './webhooks.js';

const config = loadConfigOrExit();
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.concurrency + 2 });
const store = new PostgresIdempotencyStore({ client: pool });
await store.migrate();
const webhooks = createWebhooks({ secret: config.webhookSecrets, store, simulatedWorkMs: config.simulatedWorkMs });

const boss = new PgBoss({ connectionString: config.databaseUrl, schema: config.schema });
boss.on('error', (error) => console.error(`pg-boss: ${error.message}`));
await boss.start();
await workPgBoss(webhooks, boss, {
  name: config.queueName,
  localConcurrency: config.concurrency,
  pollingIntervalSeconds: 1,
});
console.log(`worker ready on queue ${config.queueName} (concurrency ${config.concurrency})`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  // 1. Stop taking jobs and wait for the running ones (they complete or fail as usual; none is lost).
  await boss.offWork(config.queueName);
  // 2. Nothing runs any more: drain the handler (a no-op wait here), then stop pg-boss and close the store's pool.
  await webhooks.drain({ timeoutMs: 10_000 });
  await boss.stop();
  await pool.end();
  console.log('stopped');
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    shutdown(signal).catch((error: unknown) => {
      console.error('shutdown failed', error);
      process.exitCode = 1;
    });
  });
}
