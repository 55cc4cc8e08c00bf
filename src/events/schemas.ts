import type { z } from 'zod';
import type { WorkOSEventName } from './generated/names.js';
import { rawEventSchemaFactories } from './generated/schemas.js';
import { openKit, type SchemaKit, specKit } from './kit.js';
import { checkAgainstSpec as check } from './spec-check.js';
import type { WorkOSEventOf } from './types.js';

export { envelopeSchema } from './envelope-schema.js';

type Factories = { readonly [N in WorkOSEventName]: (k: SchemaKit) => z.ZodType<WorkOSEventOf<N>> };

// A cast, not an annotation: checking 136 zod output types against the interfaces here would make every type-check
// of the package ~100k types heavier. test/events/schema-types.test-d.ts proves the two are the same types instead.
const factories = rawEventSchemaFactories as unknown as Factories;

const openCache = new Map<string, z.ZodType>();
const specCache = new Map<string, z.ZodType>();
let built = 0;

function build(cache: Map<string, z.ZodType>, name: WorkOSEventName, kit: SchemaKit): z.ZodType {
  let schema = cache.get(name);
  if (!schema) {
    const factory = factories[name] as ((k: SchemaKit) => z.ZodType) | undefined;
    if (!factory) throw new TypeError(`Unknown WorkOS event type: ${JSON.stringify(name)}`);
    schema = factory(kit);
    built++;
    cache.set(name, schema);
  }
  return schema;
}

/**
 * The zod schema of one event type, built on first use and cached. Enums and timestamps are open (any string
 * passes, as the TS type allows); required fields, types and nullability follow the spec. Objects keep unknown
 * fields.
 *
 * @example
 * ```ts
 * const result = workosEventSchema('dsync.user.created').safeParse(json);
 * if (result.success) console.log(result.data.data.directory_id);
 * ```
 */
export function workosEventSchema<N extends WorkOSEventName>(name: N): z.ZodType<WorkOSEventOf<N>> {
  return build(openCache, name, openKit) as z.ZodType<WorkOSEventOf<N>>;
}

/** The spec-exact schema (closed enums, ISO timestamps) used by `validate: 'full' | 'strict'`. Internal. */
export function specEventSchema(name: WorkOSEventName): z.ZodType {
  return build(specCache, name, specKit);
}

/** How many schemas this process has built so far (both caches). Internal: used by the cold-start bench. */
export function builtSchemaCount(): number {
  return built;
}

/** `validate: 'full' | 'strict'` of one known event (see spec-check.ts). Internal: called by `parseWorkOSEvent`. */
export function checkAgainstSpec(
  event: Parameters<typeof check>[1],
  name: WorkOSEventName,
  strict: boolean,
  onSchemaDrift: Parameters<typeof check>[4],
): void {
  check(specEventSchema, event, name, strict, onSchemaDrift);
}
