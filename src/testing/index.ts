/**
 * Test kit: realistic signed events, a fake WorkOS Events API and the idempotency-store compliance suite, for any
 * test runner. Import from `workos-events/testing` in your own tests; it needs neither vitest nor fast-check.
 * fast-check arbitraries are in `workos-events/testing/fast-check`, and the compliance suite pre-wired for vitest
 * in `workos-events/testing/vitest`.
 * @packageDocumentation
 */

import { registerSchemas } from '../events/schema-loader.js';
import * as schemas from '../events/schemas.js';

// The test kit builds events from the spec: it loads the schemas up front, so `validate: 'strict'` works at once.
registerSchemas(schemas);

export { signWorkOSWebhook, signWorkOSWebhookAsync } from '../verify/sign.js';

export * from './fake-api/index.js';
export * from './store-compliance.js';
export * from './test-event.js';
