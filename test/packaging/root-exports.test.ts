/**
 * Pins the root entry's runtime exports, from the built files users load (ESM and CJS), as Stripe's package-exports
 * test does: adding or removing a root export is a deliberate, reviewed change (update the list and CHANGELOG).
 * Per-event types live in `workos-events/events`, zod schemas in `/schemas`, adapter-author helpers in `/adapter-kit`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureLibraryBuilt, REPO } from '../examples/helpers.js';

const ROOT_RUNTIME_EXPORTS = [
  'DEFAULT_TOLERANCE_MS',
  'EVENTS_API_RETENTION_MS',
  'FileCursorStore',
  'METRIC_NAMES',
  'MemoryCursorStore',
  'MemoryIdempotencyStore',
  'MemoryVersionStore',
  'WORKOS_EVENT_NAMES',
  'WORKOS_WEBHOOK_IPS',
  'WorkOSApiError',
  'WorkOSEventParseError',
  'WorkOSEventsError',
  'WorkOSHandlerError',
  'WorkOSReconcileError',
  'WorkOSWebhookConfigError',
  'WorkOSWebhookError',
  'createWorkOSWebhookHandler',
  'eventCreatedAt',
  'isKnownWorkOSEventName',
  'isUnknownWorkOSEvent',
  'isWorkOSApiError',
  'isWorkOSEvent',
  'isWorkOSEventParseError',
  'isWorkOSEventsError',
  'isWorkOSWebhookError',
  'listEvents',
  'parseDuration',
  'parseWorkOSEvent',
  'pollEvents',
  'preloadWorkOSEventSchemas',
  'reconcile',
  'reconcileOnInterval',
  'resolveSince',
  'signWorkOSWebhook',
  'signWorkOSWebhookAsync',
  'verifyWorkOSSignature',
  'verifyWorkOSSignatureSync',
  'verifyWorkOSWebhook',
  'verifyWorkOSWebhookSync',
];

const names = (module: object) =>
  Object.keys(module)
    .filter((k) => k !== '__esModule' && k !== 'default')
    .sort();

beforeAll(() => ensureLibraryBuilt(), 300_000);

describe('root entry exports', () => {
  it.each([
    ['dist/node/index.js', 'Node, import'],
    ['dist/index.js', 'bundlers, module condition'],
    ['dist/edge/index.js', 'edge runtimes'],
  ])('%s (%s) exports exactly the pinned runtime names', async (file) => {
    const esm = (await import(pathToFileURL(path.join(REPO, file)).href)) as object;
    expect(names(esm)).toEqual(ROOT_RUNTIME_EXPORTS);
  });

  it('dist/node/index.cjs (Node, require) exports the same names', () => {
    const cjs = createRequire(import.meta.url)(path.join(REPO, 'dist/node/index.cjs')) as object;
    expect(names(cjs)).toEqual(ROOT_RUNTIME_EXPORTS);
  });

  it('the package resolves to those files by name', async () => {
    expect(import.meta.resolve('workos-events')).toBe(pathToFileURL(path.join(REPO, 'dist/node/index.js')).href);
    expect(createRequire(import.meta.url).resolve('workos-events')).toBe(path.join(REPO, 'dist/node/index.cjs'));
  });

  it('moved names are on their subpaths', async () => {
    const load = (file: string) => import(pathToFileURL(path.join(REPO, 'dist/node', file)).href) as Promise<object>;
    expect(names(await load('adapter-kit.js'))).toEqual([
      'DEFAULT_RETAIN_MS',
      'RECONCILE_LOCK_KEY',
      'isWorkOSWebhookHandler',
      'parseRetryAfter',
      'readBodyLimited',
      'requireWebhookHandler',
    ]);
    expect(names(await load('schemas.js'))).toEqual([
      'envelopeSchema',
      'preloadWorkOSEventSchemas',
      'workosEventSchema',
    ]);
    expect(names(await load('event-types.js'))).toEqual([]); // types only
  });
});
