import { Queue } from 'bullmq';
import { connectIoRedis, REDIS_URL, runId } from '../idempotency/services.js';
import { describeQueueExample } from './queue-example.js';

const redis = await connectIoRedis();
const url = new URL(REDIS_URL);
const queueName = `workos-example-${runId}`;

describeQueueExample({
  example: 'bullmq',
  enabled: typeof redis !== 'string',
  engine: { host: url.hostname, port: Number(url.port || 6379) },
  env: (host, port) => ({ REDIS_URL: `redis://${host}:${port}`, QUEUE_NAME: queueName }),
  cleanup: async (eventIds) => {
    if (typeof redis === 'string') return;
    const queue = new Queue(queueName, { connection: redis.duplicate() });
    await queue.obliterate({ force: true });
    await queue.close();
    if (eventIds.length) await redis.del(...eventIds.map((id) => `workos-events:idem::${id}`));
    await redis.quit();
  },
});
