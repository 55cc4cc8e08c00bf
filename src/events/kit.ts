import { z } from 'zod';

/**
 * The few schema pieces whose strictness depends on the validation mode. The generated factories take a kit, so
 * the same generated code yields the open schema (`workosEventSchema`) and the spec-exact one (`full`/`strict`).
 */
export interface SchemaKit {
  /** A spec enum: the listed values, typed open (`'a' | 'b' | (string & {})`). */
  enum<const V extends readonly [string, ...string[]]>(values: V): z.ZodType<V[number] | (string & {})>;
  /** A `format: date-time` string. */
  datetime(): z.ZodType<string>;
  /** A record limited to `max` keys (`maxProperties`). */
  maxProperties<T extends z.ZodType<Record<string, unknown>>>(schema: T, max: number): T;
}

/** Accepts what WorkOS may send tomorrow: any string for enums and timestamps, records of any size. */
export const openKit: SchemaKit = {
  enum: () => z.string(),
  datetime: () => z.string(),
  maxProperties: (schema) => schema,
};

/** Exactly what the spec says: closed enums, ISO 8601 timestamps, `maxProperties` enforced. */
export const specKit: SchemaKit = {
  enum: (values) => z.enum(values),
  datetime: () => z.iso.datetime({ offset: true }),
  maxProperties: (schema, max) =>
    schema.check(
      z.refine((value) => Object.keys(value).length <= max, { message: `Too many properties (at most ${max})` }),
    ),
};
