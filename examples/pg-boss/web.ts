/**
 * The web process: verifies each WorkOS delivery, sends it to the pg-boss queue (singletonKey = event id on an
 * `exclusive` queue, so a duplicate delivery adds nothing) and answers 200 only once the job row is written; 503 if
 * PostgreSQL is unreachable, so WorkOS retries. SIGTERM/SIGINT: stop accepting, let the deliveries being enqueued
 * finish, stop pg-boss.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { PgBoss } from 'pg-boss';
import { workosWebhook } from 'workos-events/express';
import { pgBossQueue } from 'workos-events/queues/pg-boss';
import { loadConfigOrExit } from './config.js';
import { createWebhooks } from './webhooks.js';

const config = loadConfigOrExit();
// supervise: false: the web process only sends; the workers run pg-boss's maintenance.
const boss = new PgBoss({
  connectionString: config.databaseUrl,
  schema: config.schema,
  supervise: false,
  schedule: false,
});
boss.on('error', (error) => console.error(`pg-boss: ${error.message}`));
await boss.start();
const queue = pgBossQueue(boss, { name: config.queueName });
await queue.ready(); // creates the queue and its dead-letter queue if missing; a wrong setup fails here, not per delivery
const webhooks = createWebhooks({ secret: config.webhookSecrets, queue });

const app = express();
app.disable('x-powered-by');
app.post('/webhooks/workos', workosWebhook(webhooks));
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
const server = app.listen(config.port, config.host);
await once(server, 'listening');
console.log(`listening on http://${config.host}:${(server.address() as AddressInfo).port} (POST /webhooks/workos)`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await webhooks.drain({ timeoutMs: 10_000 }); // deliveries being enqueued finish; new ones get 503
  await closed;
  await boss.stop();
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
