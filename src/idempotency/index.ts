export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './memory-store.js';
export * from './types.js';
