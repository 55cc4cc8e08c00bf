/**
 * workos-events: verify → parse/validate → dedup → dispatch WorkOS events from webhooks and the Events API.
 * The root entry loads only verification, event types and the in-memory pieces; adapters, store drivers,
 * the test kit and the CLI are subpaths.
 * @packageDocumentation
 */

export * from './events/index.js';
export * from './events-api/index.js';
export * from './handler/index.js';
export * from './idempotency/index.js';
export * from './reconcile/index.js';
export * from './verify/errors.js';
export * from './verify/index.js';
