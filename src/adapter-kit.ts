/**
 * `workos-events/adapter-kit`: helpers for writing an adapter for another framework or a custom store, queue or
 * scheduler: the body reader with its size limit, the handler check the built-in adapters use, the Events API's
 * `Retry-After` parser and the shared constants. Application code does not need this entry.
 * @packageDocumentation
 */
export { parseRetryAfter } from './events-api/retry.js';
export { type LimitedBody, readBodyLimited } from './handler/read-body.js';
export { isWorkOSWebhookHandler, requireWebhookHandler } from './handler/to-webhook-handler.js';
export { DEFAULT_RETAIN_MS } from './idempotency/types.js';
export { RECONCILE_LOCK_KEY } from './reconcile/interval.js';
