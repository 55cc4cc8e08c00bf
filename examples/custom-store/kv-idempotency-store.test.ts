/**
 * The store's test: the library's compliance suite (atomic claims under concurrency, leases, fencing tokens,
 * retention, namespaces, shared state between instances). Run it with `npm test`.
 */
import { describeIdempotencyStore } from 'workos-events/testing/vitest';
import { InMemoryConditionalKV } from './conditional-kv.js';
import { KvIdempotencyStore } from './kv-idempotency-store.js';

// One backend shared by every store the suite creates, as several app instances would share one KV service.
const kv = new InMemoryConditionalKV();

describeIdempotencyStore('KvIdempotencyStore over InMemoryConditionalKV', ({ namespace }) => {
  return new KvIdempotencyStore({ kv, ...(namespace !== undefined ? { namespace } : {}) });
});
