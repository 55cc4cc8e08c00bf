/**
 * The web process: verifies each WorkOS delivery, adds it to the BullMQ queue (job id = event id, so a duplicate
 * delivery adds nothing) and answers 200 only once Redis has the job; 503 if Redis is unreachable, so WorkOS retries.
 * SIGTERM/SIGINT: stop accepting, let the deliveries being enqueued finish, close the queue.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import express from 'express';
import { workosWebhook } from 'workos-events/express';
import { bullmqQueue } from 'workos-events/queues/bullmq';
import { loadConfigOrExit } from './config.js';
import { createWebhooks } from './webhooks.js';

const config = loadConfigOrExit();
const redis = new URL(config.redisUrl);
// enableOfflineQueue: false → while Redis is down, `add` fails at once and the delivery gets 503 (WorkOS retries).
const queue = new Queue(config.queueName, {
  connection: { host: redis.hostname, port: Number(redis.port || 6379), enableOfflineQueue: false },
});
queue.on('error', (error) => console.error(`queue: ${error.message}`));
const webhooks = createWebhooks({ secret: config.webhookSecrets, queue: bullmqQueue(queue) });

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
  await queue.close();
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
