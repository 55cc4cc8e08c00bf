/**
 * `workos-events/testing/vitest`: the idempotency-store compliance suite registered with vitest's `describe` and
 * `it`. Needs `vitest` installed (an optional peer dependency). With Jest, node:test or mocha, use
 * `describeIdempotencyStore` from `workos-events/testing` and pass your runner's `describe` and `it`.
 * @packageDocumentation
 */
import { describe, it } from 'vitest';
import {
  type DescribeIdempotencyStoreOptions,
  describeIdempotencyStore as describeWithRunner,
  type IdempotencyStoreFactory,
} from './store-compliance.js';

export type {
  DescribeIdempotencyStoreOptions,
  IdempotencyStoreFactory,
  IdempotencyStoreFactoryContext,
} from './store-compliance.js';

/**
 * The idempotency-store compliance suite, for vitest: registers one `describe` block of contract checks (claim /
 * in_progress / duplicate, lease expiry, fencing, release, retention, exactly one winner among concurrent claims,
 * namespaces, shared state across instances, `get`). Every store shipped with workos-events runs it.
 *
 * @example
 * ```ts
 * // test/my-store.test.ts
 * import { describeIdempotencyStore } from 'workos-events/testing/vitest';
 * import { MyStore } from '../src/my-store.js';
 *
 * describeIdempotencyStore('MyStore', ({ namespace }) => new MyStore({ url: process.env.MY_URL, namespace }));
 * ```
 */
export function describeIdempotencyStore(
  name: string,
  factory: IdempotencyStoreFactory,
  options: DescribeIdempotencyStoreOptions = {},
): void {
  describeWithRunner(name, factory, { ...options, runner: { describe, it } });
}
