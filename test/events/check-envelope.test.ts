import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnvelope } from '../../src/events/check-envelope.js';
import { envelopeSchema } from '../../src/events/envelope-schema.js';
import { parseWorkOSEvent } from '../../src/events/parse.js';

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.string(),
  fc.constant('event'),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

const candidate = fc.record(
  { id: anyValue, event: anyValue, data: anyValue, created_at: anyValue, object: anyValue, context: anyValue },
  { requiredKeys: [] },
);

describe('checkEnvelope (hand-written envelope check)', () => {
  it('accepts exactly what envelopeSchema accepts, and reports the same paths', () => {
    fc.assert(
      fc.property(candidate, (json) => {
        const ours = checkEnvelope(json as Record<string, unknown>);
        const zod = envelopeSchema.safeParse(json);
        expect(ours.length === 0).toBe(zod.success);
        if (!zod.success) {
          const zodPaths = new Set(zod.error.issues.map((i) => String(i.path[0])));
          expect(new Set(ours.map((i) => i.path))).toEqual(zodPaths);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('names a missing field as missing and a wrong type as invalid_type, without values', () => {
    expect(checkEnvelope({ event: 'user.created', data: {}, created_at: 'x' })).toEqual([
      { path: 'id', code: 'missing', message: 'Required field is missing' },
    ]);
    const issues = checkEnvelope({ id: 'secret-value-42', event: 7, data: [], created_at: '', object: 'list' });
    expect(issues.map((i) => `${i.path}:${i.code}`)).toEqual([
      'event:invalid_type',
      'data:invalid_type',
      'created_at:invalid_type',
      'object:invalid_value',
    ]);
    expect(JSON.stringify(issues)).not.toContain('secret-value-42');
  });

  it('is what parseWorkOSEvent uses in envelope mode', () => {
    expect(() => parseWorkOSEvent({ id: 'event_1', event: 'user.created', data: null, created_at: 'x' })).toThrow(
      /invalid: data \(invalid_type\)/,
    );
  });
});
