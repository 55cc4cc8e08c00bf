import { describe, expect, it } from 'vitest';
import { builtSchemaCount } from '../../src/events/schemas.js';
import { parseWorkOSEvent, verifyWorkOSWebhook } from '../../src/index.js';
import { workosEventSchema } from '../../src/schemas.js';
import { createTestEvent, signWorkOSWebhook } from '../../src/testing/index.js';

// Runs in its own module registry (one file = one worker module graph), so the counter starts at zero here.
describe('schemas are built lazily, once per type and mode', () => {
  it('importing and verifying with the default mode builds no per-type schema', async () => {
    expect(builtSchemaCount()).toBe(0);
    const payload = JSON.stringify(createTestEvent('dsync.user.created'));
    const signature = signWorkOSWebhook({ payload, secret: 's' });
    await verifyWorkOSWebhook({ payload, signature, secret: 's' });
    expect(builtSchemaCount()).toBe(0);
  });

  it("'full' and 'strict' build one spec schema for the type and reuse it", () => {
    const event = createTestEvent('dsync.user.created');
    parseWorkOSEvent(event, { validate: 'full' });
    expect(builtSchemaCount()).toBe(1);
    parseWorkOSEvent(event, { validate: 'strict' });
    parseWorkOSEvent(createTestEvent('dsync.user.created'), { validate: 'full' });
    expect(builtSchemaCount()).toBe(1);
    parseWorkOSEvent(createTestEvent('user.created'), { validate: 'strict' });
    expect(builtSchemaCount()).toBe(2);
  });

  it('workosEventSchema builds the open schema once and returns the same instance', () => {
    const a = workosEventSchema('dsync.user.created');
    expect(builtSchemaCount()).toBe(3);
    expect(workosEventSchema('dsync.user.created')).toBe(a);
    expect(builtSchemaCount()).toBe(3);
    expect(() => workosEventSchema('nope.nope' as 'user.created')).toThrow(TypeError);
  });
});
