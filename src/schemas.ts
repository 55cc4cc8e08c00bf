/**
 * `workos-events/schemas`: the zod schemas of WorkOS events. Importing this entry loads zod and the generated
 * schemas (and makes `validate: 'full' | 'strict'` usable from synchronous APIs at once, as
 * `preloadWorkOSEventSchemas()` does); the root entry never loads them up front.
 * @packageDocumentation
 */
import { registerSchemas } from './events/schema-loader.js';
import * as schemas from './events/schemas.js';

registerSchemas(schemas);

export type { SchemaKit } from './events/kit.js';
export { preloadWorkOSEventSchemas } from './events/schema-loader.js';
export { envelopeSchema, workosEventSchema } from './events/schemas.js';
