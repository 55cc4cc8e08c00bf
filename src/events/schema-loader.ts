import type * as SchemaModule from './schemas.js';

/** The zod schemas module (zod + the generated schemas), loaded on demand. */
export type LoadedSchemas = typeof SchemaModule;

interface Slot {
  loaded?: LoadedSchemas;
  loading?: Promise<LoadedSchemas>;
}

// One slot per process, shared by every copy of the library (ESM and CJS builds, root and subpath chunks), so a
// preload through one entry serves the others.
const SLOT = Symbol.for('workos-events.schemas');

function slot(): Slot {
  const g = globalThis as { [SLOT]?: Slot };
  g[SLOT] ??= {};
  return g[SLOT];
}

/** The schemas module when it is loaded, else `undefined`. Never loads anything. */
export function loadedSchemas(): LoadedSchemas | undefined {
  return slot().loaded;
}

/** Records a statically imported schemas module (`workos-events/schemas`, the test kit) as loaded. */
export function registerSchemas(schemas: LoadedSchemas): LoadedSchemas {
  const s = slot();
  s.loaded ??= schemas;
  return s.loaded;
}

/** The `workos-events/schemas` entry registers the schemas when it is evaluated. */
function schemasOrThrow(): LoadedSchemas {
  const loaded = slot().loaded;
  if (!loaded) throw new Error('workos-events: the schemas entry loaded but did not register its schemas.');
  return loaded;
}

/** Loads the schemas module once (a dynamic `import()` of the `workos-events/schemas` entry, so bundlers put zod and the
 * schemas in a chunk loaded on demand). */
export function loadSchemas(): Promise<LoadedSchemas> {
  const s = slot();
  if (s.loaded) return Promise.resolve(s.loaded);
  s.loading ??= import('../schemas.js').then(schemasOrThrow, (error: unknown) => {
    s.loading = undefined;
    throw error;
  });
  return s.loading;
}

/**
 * Loads zod and the generated event schemas ahead of time. `validate: 'full' | 'strict'` needs them: the async APIs
 * (`verifyWorkOSWebhook`, the handler, `listEvents`) load them on first use, but the synchronous ones
 * (`parseWorkOSEvent`, `verifyWorkOSWebhookSync`) cannot, and throw `schemas_not_loaded` until this has resolved.
 * The default `validate: 'envelope'` never needs them. Safe to call many times.
 *
 * @example
 * ```ts
 * await preloadWorkOSEventSchemas(); // once, at startup
 * const event = parseWorkOSEvent(JSON.parse(body), { validate: 'strict' });
 * ```
 */
export async function preloadWorkOSEventSchemas(): Promise<void> {
  await loadSchemas();
}

/** True when `mode` needs the schemas module. */
export function needsSchemas(mode: string | undefined): boolean {
  return mode === 'full' || mode === 'strict';
}
