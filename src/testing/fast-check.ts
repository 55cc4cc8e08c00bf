/**
 * `workos-events/testing/fast-check`: fast-check arbitraries of valid WorkOS events, for property tests. Needs
 * `fast-check` installed (an optional peer dependency); everything else in the test kit is in
 * `workos-events/testing`, which needs neither fast-check nor a particular test runner.
 * @packageDocumentation
 */

import { registerSchemas } from '../events/schema-loader.js';
import * as schemas from '../events/schemas.js';

// The arbitraries are built from the spec schemas: loaded up front, so `validate: 'strict'` works at once too.
registerSchemas(schemas);

export * from './arbitraries.js';
