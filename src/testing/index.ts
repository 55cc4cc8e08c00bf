/**
 * Test kit: realistic signed events, fast-check arbitraries, a fake WorkOS Events API and the
 * idempotency-store compliance suite. Import from `workos-events/testing` in your own tests.
 * @packageDocumentation
 */

export { signWorkOSWebhook, signWorkOSWebhookAsync } from '../verify/sign.js';
