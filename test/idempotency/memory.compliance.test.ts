import { MemoryIdempotencyStore } from '../../src/index.js';
import { describeIdempotencyStore } from '../../src/testing/index.js';

describeIdempotencyStore('MemoryIdempotencyStore', ({ namespace }) => new MemoryIdempotencyStore({ namespace }), {
  sharedBackend: false,
});
