/**
 * Test kit: realistic signed events, fast-check arbitraries, a fake WorkOS Events API and the
 * idempotency-store compliance suite. Import from `workos-events/testing` in your own tests.
 * @packageDocumentation
 */

export { signWorkOSWebhook, signWorkOSWebhookAsync } from '../verify/sign.js';

export * from './arbitraries.js';
export * from './fake-api/index.js';
export * from './store-compliance.js';
export * from './test-event.js';
