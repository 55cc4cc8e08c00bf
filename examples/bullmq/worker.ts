/**
 * The worker process (run as many as you like, on any machine): takes jobs from the BullMQ queue and runs them
 * through the same handler, deduplicated in Redis. A failed listener throws, so BullMQ retries with backoff.
 * SIGTERM/SIGINT: stop taking jobs, finish the running ones, then drain the handler and close Redis.
 */
import IORedis from 'ioredis';
import { createBullMQWorker } from 'workos-events/queues/bullmq';
import { RedisIdempotencyStore } from 'workos-events/stores/redis';
import { loadConfigOrExit } from './config.js';
import { createWebhooks } from './webhooks.js';

const config = loadConfigOrExit();
const redis = new IORedis(config.redisUrl);
const webhooks = createWebhooks({
  secret: config.webhookSecrets,
  store: new RedisIdempotencyStore({ client: redis }),
  simulatedWorkMs: config.simulatedWorkMs,
});
const url = new URL(config.redisUrl);
const worker = createBullMQWorker(webhooks, {
  queueName: config.queueName,
  // Connection options, not a shared client: BullMQ opens its own connections (with maxRetriesPerRequest: null).
  connection: { host: url.hostname, port: Number(url.port || 6379) },
  concurrency: config.concurrency,
});
worker.on('error', (error) => console.error(`worker: ${error.message}`));
await worker.waitUntilReady();
console.log(`worker ready on queue ${config.queueName} (concurrency ${config.concurrency})`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  // 1. Stop taking jobs and wait for the running ones (they complete or fail as usual; none is lost).
  await worker.close();
  // 2. Nothing runs any more: drain the handler (a no-op wait here), then close what the store uses.
  await webhooks.drain({ timeoutMs: 10_000 });
  await redis.quit();
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
