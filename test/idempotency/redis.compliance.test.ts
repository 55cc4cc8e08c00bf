import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisIdempotencyStore } from '../../src/idempotency/stores/redis.js';
import { describeIdempotencyStore } from '../../src/testing/vitest.js';
import { connectIoRedis, connectIoRedis6, connectNodeRedis, deleteRedisPrefix, runId } from './services.js';

const nodeRedis = await connectNodeRedis();
const ioredis = await connectIoRedis();
const ioredis6 = await connectIoRedis6();
const prefix = `workos-events-test:${runId}:`;

afterAll(async () => {
  if (typeof ioredis !== 'string') {
    await deleteRedisPrefix(ioredis, prefix);
    await ioredis.quit();
  }
  if (typeof nodeRedis !== 'string') await nodeRedis.quit();
  if (typeof ioredis6 !== 'string') await ioredis6.quit();
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
  'RedisIdempotencyStore (ioredis 5)',
  ({ namespace }) => {
    if (typeof ioredis === 'string') throw new Error(ioredis);
    return new RedisIdempotencyStore({ client: ioredis, prefix: `${prefix}io:`, namespace });
  },
  { skip: typeof ioredis === 'string' ? ioredis : false },
);

// ioredis 6 negotiates RESP3 by default (HELLO 3), so the store's replies come over the other wire protocol.
describeIdempotencyStore(
  'RedisIdempotencyStore (ioredis 6)',
  ({ namespace }) => {
    if (typeof ioredis6 === 'string') throw new Error(ioredis6);
    return new RedisIdempotencyStore({ client: ioredis6, prefix: `${prefix}io6:`, namespace });
  },
  { skip: typeof ioredis6 === 'string' ? ioredis6 : false },
);

describe.skipIf(typeof ioredis6 === 'string')('the ioredis 6 leg', () => {
  it('really runs ioredis 6 over RESP3 (the alias did not resolve to ioredis 5)', async () => {
    const { version } = createRequire(import.meta.url)('ioredis6/package.json') as { version: string };
    expect(version).toMatch(/^6\./);
    const client = ioredis6 as Exclude<typeof ioredis6, string>;
    expect(String(await client.call('CLIENT', 'INFO'))).toMatch(/\bresp=3\b/);
  });
});
