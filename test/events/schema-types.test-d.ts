import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { rawEventSchemaFactories } from '../../src/events/generated/schemas.js';
import type { WorkOSEventName, WorkOSEventOf } from '../../src/index.js';

// The generated interfaces are what users type-check against (cheap for tsc); the generated zod schemas are what
// runs. src/events/schemas.ts already proves schema output ⊆ interface (a typed assignment). This file proves the
// converse: after removing the index signatures zod adds for loose objects, both sides are the same type.
type Strip<T> = T extends readonly (infer U)[]
  ? Strip<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Strip<T[K]> }
    : T;
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type SchemaOutput<N extends WorkOSEventName> = z.output<ReturnType<(typeof rawEventSchemaFactories)[N]>>;
type Mismatched = {
  [N in WorkOSEventName]: Equal<Strip<SchemaOutput<N>>, Strip<WorkOSEventOf<N>>> extends true ? never : N;
}[WorkOSEventName];

describe('generated interfaces match their zod schemas', () => {
  it('for all 136 event types (spec and overlay)', () => {
    expectTypeOf<Mismatched>().toEqualTypeOf<never>();
  });

  it('the check can fail (a deliberately different type is caught)', () => {
    type Wrong = Omit<WorkOSEventOf<'user.created'>, 'data'> & { data: { id: number } };
    expectTypeOf<Equal<Strip<SchemaOutput<'user.created'>>, Strip<Wrong>>>().toEqualTypeOf<false>();
  });
});
