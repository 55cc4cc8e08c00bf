import fc from 'fast-check';
import type { z } from 'zod';
import { WORKOS_EVENT_NAMES, type WorkOSEventName } from '../events/generated/names.js';
import type { KnownWorkOSEvent } from '../events/generated/types.js';
import { specEventSchema } from '../events/schemas.js';
import type { WorkOSEventOf } from '../events/types.js';

// Reads zod's public `def` of the spec-exact schema, so every generated value passes `validate: 'strict'`.
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; maximum?: number; format?: string } } }>;
  format?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, string>;
}

const def = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;
const checkOf = (d: Def, name: string) => d.checks?.map((c) => c._zod.def).find((c) => c.check === name);

const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
// jsonValue may yield -0, which JSON turns into 0: normalise so events survive a JSON round trip unchanged.
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const d = def(schema);
  switch (d.type) {
    case 'string': {
      if (d.format === 'datetime') return isoDate;
      const max = checkOf(d, 'max_length')?.maximum;
      return fc.string({ unit: 'grapheme', maxLength: Math.min(max ?? 24, 24) });
    }
    case 'number':
      return checkOf(d, 'number_format')?.format === 'safeint'
        ? fc.integer({ min: -1_000_000, max: 1_000_000 })
        : // JSON has no -0 (it comes back as 0), so it would not survive the round trip this arbitrary promises.
          fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'literal':
      return fc.constantFrom(...(d.values ?? []));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries ?? {}));
    case 'nullable':
      return fc.option(arbitraryFor(d.innerType!), { nil: null, freq: 4 });
    case 'optional':
      return arbitraryFor(d.innerType!);
    case 'union':
      return fc.oneof(...(d.options ?? []).map(arbitraryFor));
    case 'array':
      return fc.array(arbitraryFor(d.element!), { maxLength: 3 });
    case 'record':
      return fc.dictionary(arbitraryFor(d.keyType!) as fc.Arbitrary<string>, arbitraryFor(d.valueType!), {
        maxKeys: 4,
      });
    case 'object': {
      const shape = d.shape ?? {};
      const required = Object.keys(shape).filter((k) => def(shape[k]!).type !== 'optional');
      const fields = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, arbitraryFor(v)]));
      return fc.record(fields, { requiredKeys: required });
    }
    default:
      return json;
  }
}

const cache = new Map<string, fc.Arbitrary<KnownWorkOSEvent>>();

function forName(name: WorkOSEventName): fc.Arbitrary<KnownWorkOSEvent> {
  let arb = cache.get(name);
  if (!arb) {
    const base = arbitraryFor(specEventSchema(name)) as fc.Arbitrary<Record<string, unknown>>;
    // Realistic envelope: `event_` + ULID-shaped id, ISO created_at, always `object: "event"` or absent.
    const ulidChars = fc.string({
      unit: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'),
      minLength: 26,
      maxLength: 26,
    });
    arb = fc
      .tuple(base, ulidChars, isoDate)
      .map(([event, id, createdAt]) => ({ ...event, id: `event_${id}`, created_at: createdAt }) as KnownWorkOSEvent);
    cache.set(name, arb);
  }
  return arb;
}

/**
 * A fast-check arbitrary of WorkOS events, derived from the spec-exact zod schemas: every value passes
 * `parseWorkOSEvent(…, { validate: 'strict' })` and survives `JSON.stringify`/`JSON.parse`. Optional fields come
 * and go, nullable fields are sometimes `null`, strings include non-ASCII graphemes. Pass a name for one type, or
 * nothing for any known type.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbitraryWorkOSEvent('dsync.user.updated'), (event) => {
 *   expect(parseWorkOSEvent(JSON.parse(JSON.stringify(event)), { validate: 'strict' })).toEqual(event);
 * }));
 * ```
 */
export function arbitraryWorkOSEvent<N extends WorkOSEventName>(name: N): fc.Arbitrary<WorkOSEventOf<N>>;
export function arbitraryWorkOSEvent(): fc.Arbitrary<KnownWorkOSEvent>;
export function arbitraryWorkOSEvent(name?: WorkOSEventName): fc.Arbitrary<KnownWorkOSEvent> {
  if (name !== undefined) {
    if (!(WORKOS_EVENT_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(`arbitraryWorkOSEvent: unknown WorkOS event type ${JSON.stringify(name)}`);
    }
    return forName(name);
  }
  return fc.constantFrom(...WORKOS_EVENT_NAMES).chain(forName);
}
