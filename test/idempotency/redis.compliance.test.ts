import { afterAll } from 'vitest';
import { RedisIdempotencyStore } from '../../src/idempotency/stores/redis.js';
import { describeIdempotencyStore } from '../../src/testing/index.js';
import { connectIoRedis, connectNodeRedis, deleteRedisPrefix, runId } from './services.js';

const nodeRedis = await connectNodeRedis();
const ioredis = await connectIoRedis();
const prefix = `workos-events-test:${runId}:`;

afterAll(async () => {
  if (typeof ioredis !== 'string') {
    await deleteRedisPrefix(ioredis, prefix);
    await ioredis.quit();
  }
  if (typeof nodeRedis !== 'string') await nodeRedis.quit();
});

describeIdempotencyStore(
  'RedisIdempotencyStore (node-redis)',
  ({ namespace }) => {
    if (typeof nodeRedis === 'string') throw new Error(nodeRedis);
    return new RedisIdempotencyStore({ client: nodeRedis, prefix: `${prefix}node:`, namespace });
  },
  { skip: typeof nodeRedis === 'string' ? nodeRedis : false },
);

describeIdempotencyStore(
  'RedisIdempotencyStore (ioredis)',
  ({ namespace }) => {
    if (typeof ioredis === 'string') throw new Error(ioredis);
    return new RedisIdempotencyStore({ client: ioredis, prefix: `${prefix}io:`, namespace });
  },
  { skip: typeof ioredis === 'string' ? ioredis : false },
);
