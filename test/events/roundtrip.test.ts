import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkOSEvent, verifyWorkOSWebhook, WORKOS_EVENT_NAMES, type WorkOSEvent } from '../../src/index.js';
import { arbitraryWorkOSEvent } from '../../src/testing/fast-check.js';
import { PREFIXED_ID } from '../../src/testing/ids.js';
import { createTestEvent, signWorkOSWebhook } from '../../src/testing/index.js';

const secret = 'whsec_roundtrip_test';

async function roundTrip(event: WorkOSEvent): Promise<WorkOSEvent> {
  const payload = JSON.stringify(event);
  const signature = signWorkOSWebhook({ payload, secret });
  return verifyWorkOSWebhook({ payload, signature, secret, validate: 'strict' });
}

describe('createTestEvent', () => {
  it.each(WORKOS_EVENT_NAMES)('%s: realistic, strict-valid, survives sign → verify', async (name) => {
    const event = createTestEvent(name);
    expect(event.event).toBe(name);
    expect(event.object).toBe('event');
    expect(event.id).toMatch(/^event_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Date(event.created_at).toISOString()).toBe(event.created_at);
    expect(await roundTrip(event)).toEqual(event);
  });

  it('uses real id prefixes and a fresh event id and data.id per call', () => {
    const a = createTestEvent('dsync.user.created');
    const b = createTestEvent('dsync.user.created');
    expect(a.id).not.toBe(b.id);
    expect(a.data.id).toMatch(/^directory_user_/);
    expect(a.data.id).not.toBe(b.data.id);
    expect(a.data.organization_id).toMatch(/^org_/);
    expect(a.data.directory_id).toMatch(/^directory_/);
    expect(createTestEvent('connection.activated').data.id).toMatch(/^conn_/);
    expect(createTestEvent('user.created').data.id).toMatch(/^user_/);
    expect(createTestEvent('organization.created').data.id).toMatch(/^org_/);
    expect(PREFIXED_ID.test(createTestEvent('session.created').data.id)).toBe(true);
  });

  it('deep-merges overrides: objects merge, arrays replace, undefined removes', () => {
    const e = createTestEvent('dsync.user.updated', {
      id: 'event_fixed',
      data: { first_name: 'Ada', emails: [{ primary: true, type: 'home', value: 'ada@example.com' }], role: undefined },
    });
    expect(e.id).toBe('event_fixed');
    expect(e.data.first_name).toBe('Ada');
    expect(e.data.last_name).toBe(createTestEvent('dsync.user.updated').data.last_name);
    expect(e.data.emails).toEqual([{ primary: true, type: 'home', value: 'ada@example.com' }]);
    expect('role' in e.data).toBe(false);
    expect(e.data.directory_id).toMatch(/^directory_/);
  });

  it('does not share state between calls (overrides and results are independent copies)', () => {
    const emails = [{ primary: true, value: 'x@example.com' }];
    const a = createTestEvent('dsync.user.created', { data: { emails } });
    emails.push({ primary: false, value: 'y@example.com' });
    a.data.raw_attributes.mutated = true;
    expect(a.data.emails).toHaveLength(1);
    expect(createTestEvent('dsync.user.created').data.raw_attributes).not.toHaveProperty('mutated');
  });

  it('throws on an unknown type', () => {
    expect(() => createTestEvent('nope.nope' as 'user.created')).toThrow(TypeError);
    expect(() => arbitraryWorkOSEvent('nope.nope' as 'user.created')).toThrow(TypeError);
  });
});

describe('arbitraryWorkOSEvent', () => {
  it('200 events per type survive JSON → sign → verify (strict)', async () => {
    let checked = 0;
    for (const name of WORKOS_EVENT_NAMES) {
      const samples = fc.sample(arbitraryWorkOSEvent(name), { numRuns: 200, seed: 42 });
      for (const event of samples) {
        expect(event.event).toBe(name);
        expect(await roundTrip(event)).toEqual(event);
        checked++;
      }
    }
    expect(checked).toBe(136 * 200);
  });

  it('the any-type arbitrary covers many types and always parses strictly', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbitraryWorkOSEvent(), (event) => {
        seen.add(event.event);
        const copy = JSON.parse(JSON.stringify(event));
        expect(parseWorkOSEvent(copy, { validate: 'strict' })).toEqual(event);
      }),
      { numRuns: 500 },
    );
    expect(seen.size).toBeGreaterThan(50);
  });

  it('exercises optional, nullable and non-ASCII values', () => {
    const samples = fc.sample(arbitraryWorkOSEvent('dsync.user.created'), { numRuns: 300, seed: 7 });
    expect(samples.some((e) => e.data.first_name === null)).toBe(true);
    expect(samples.some((e) => !('first_name' in e.data))).toBe(true);
    expect(samples.some((e) => [...JSON.stringify(e.data)].some((ch) => ch.charCodeAt(0) > 127))).toBe(true);
  });
});
