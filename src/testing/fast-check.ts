/**
 * `workos-events/testing/fast-check`: fast-check arbitraries of valid WorkOS events, for property tests. Needs
 * `fast-check` installed (an optional peer dependency); everything else in the test kit is in
 * `workos-events/testing`, which needs neither fast-check nor a particular test runner.
 * @packageDocumentation
 */

export * from './arbitraries.js';
