import { afterEach, describe, expect, it, vi } from 'vitest';
import { specExampleEvents } from '../../src/events/generated/examples.js';
import {
  eventCreatedAt,
  isWorkOSEvent,
  parseWorkOSEvent,
  WORKOS_EVENT_NAMES,
  type WorkOSEvent,
  WorkOSEventParseError,
  type WorkOSSchemaIssue,
} from '../../src/index.js';
import { workosEventSchema } from '../../src/schemas.js';
import { createTestEvent } from '../../src/testing/index.js';

function thrown(fn: () => unknown): WorkOSEventParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WorkOSEventParseError) return err;
    throw err;
  }
  throw new Error('expected a WorkOSEventParseError');
}

afterEach(() => vi.restoreAllMocks());

describe('spec examples', () => {
  it.each(WORKOS_EVENT_NAMES)('%s: the event assembled from spec examples passes strict', (name) => {
    const json = JSON.parse(JSON.stringify(specExampleEvents[name]));
    expect(parseWorkOSEvent(json, { validate: 'strict' })).toBe(json);
  });
});

describe('validation modes', () => {
  it('returns the input object itself with unknown fields kept, in every mode', () => {
    const json = createTestEvent('user.created', {}) as unknown as Record<string, unknown>;
    const withExtras = { ...json, extra_top: 1, data: { ...(json.data as object), brand_new_field: { x: [1] } } };
    for (const validate of ['none', 'envelope', 'full', 'strict'] as const) {
      const out = parseWorkOSEvent(withExtras, { validate });
      expect(out).toBe(withExtras);
      expect(out.data).toHaveProperty('brand_new_field', { x: [1] });
    }
  });

  it('rejects non-objects and broken envelopes with invalid_payload (400), listing paths only', () => {
    for (const bad of [null, 1, 'x', [], true]) {
      const err = thrown(() => parseWorkOSEvent(bad));
      expect(err.code).toBe('invalid_payload');
      expect(err.status).toBe(400);
    }
    const event = createTestEvent('user.created');
    const err = thrown(() => parseWorkOSEvent({ ...event, id: 42, created_at: undefined, data: 'secret-value' }));
    expect(err.code).toBe('invalid_payload');
    expect(err.message).toContain('id');
    expect(err.message).toContain('created_at');
    expect(err.message).not.toContain('secret-value');
    expect(() => parseWorkOSEvent({ ...event, object: 'list' })).toThrow(WorkOSEventParseError);
  });

  it("'none' only checks that the payload is an object", () => {
    const json = { whatever: true };
    expect(parseWorkOSEvent(json, { validate: 'none' })).toBe(json);
  });

  it("defaults to 'envelope': a drifted data payload passes without a report", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const event = createTestEvent('dsync.user.created', { data: { state: 'linked', email: 42 as unknown as string } });
    expect(parseWorkOSEvent(event)).toBe(event);
    expect(warn).not.toHaveBeenCalled();
  });

  it('accepts webhook bodies without `object`', () => {
    const event = createTestEvent('organization.created', { object: undefined });
    expect('object' in event).toBe(false);
    expect(parseWorkOSEvent(event, { validate: 'strict' })).toBe(event);
  });
});

describe('drift: full reports once and returns the event, strict throws invalid_event', () => {
  const cases: Array<{ label: string; event: () => WorkOSEvent; path: string; code: string; value?: string }> = [
    {
      label: 'a required field removed',
      event: () => createTestEvent('dsync.user.created', { data: { directory_id: undefined } }),
      path: 'data.directory_id',
      code: 'missing',
    },
    {
      label: 'null where the spec says string',
      event: () => createTestEvent('connection.activated', { data: { organization_id: null as unknown as string } }),
      path: 'data.organization_id',
      code: 'invalid_type',
    },
    {
      label: 'an enum value the spec does not list',
      event: () => createTestEvent('dsync.activated', { data: { state: 'linked-secretish' } }),
      path: 'data.state',
      code: 'invalid_value',
      value: 'linked-secretish',
    },
    {
      label: 'a timestamp that is not ISO 8601',
      event: () => createTestEvent('user.updated', { data: { updated_at: '2023-04-28 20:05:31.093' } }),
      path: 'data.updated_at',
      code: 'invalid_format',
      value: '2023-04-28 20:05:31.093',
    },
    {
      label: 'a wrong type deep inside a referenced object',
      event: () =>
        createTestEvent('dsync.group.user_added', { data: { user: { custom_attributes: [] as unknown as {} } } }),
      path: 'data.user.custom_attributes',
      code: 'invalid_type',
    },
  ];

  it.each(cases)('$label', ({ event, path, code, value }) => {
    const e = event();
    const reports: Array<{ event: WorkOSEvent; issues: readonly WorkOSSchemaIssue[] }> = [];
    const out = parseWorkOSEvent(e, {
      validate: 'full',
      onSchemaDrift: (ev, issues) => reports.push({ event: ev, issues }),
    });
    expect(out).toBe(e);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.event).toBe(e);
    expect(reports[0]!.issues).toEqual([expect.objectContaining({ path, code })]);
    if (value) expect(JSON.stringify(reports[0]!.issues)).not.toContain(value);

    const err = thrown(() => parseWorkOSEvent(e, { validate: 'strict' }));
    expect(err.code).toBe('invalid_event');
    expect(err.status).toBe(400);
    expect(err.message).toContain(path);
    if (value) expect(err.message).not.toContain(value);

    // The open schema (the TS type) only rejects what the type rejects: unknown enum values and odd timestamps pass.
    const open = workosEventSchema(e.event as 'user.updated').safeParse(e);
    expect(open.success).toBe(code === 'invalid_value' || code === 'invalid_format');
  });

  it('the default reporter warns once per event type and path, without values', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const a = createTestEvent('invitation.created', { data: { state: 'ghosted-value' } });
    const b = createTestEvent('invitation.created', { data: { state: 'ghosted-value-2' } });
    parseWorkOSEvent(a, { validate: 'full' });
    parseWorkOSEvent(b, { validate: 'full' });
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]![0]);
    expect(message).toContain('invitation.created');
    expect(message).toContain('data.state');
    expect(message).not.toContain('ghosted');
    // A new path on the same type is reported once more.
    parseWorkOSEvent(createTestEvent('invitation.created', { data: { email: 7 as unknown as string } }), {
      validate: 'full',
    });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[1]![0])).toContain('data.email');
  });

  it('a conforming event produces no drift report', () => {
    const onSchemaDrift = vi.fn();
    parseWorkOSEvent(createTestEvent('flag.rule_updated'), { validate: 'full', onSchemaDrift });
    expect(onSchemaDrift).not.toHaveBeenCalled();
  });
});

describe('unknown event types', () => {
  const unknown = {
    id: 'event_01',
    event: 'brand.new_event',
    data: { anything: 1 },
    created_at: '2026-01-01T00:00:00Z',
  };

  it('are returned as sent in every mode by default', () => {
    for (const validate of ['none', 'envelope', 'full', 'strict'] as const) {
      expect(parseWorkOSEvent(unknown, { validate })).toBe(unknown);
    }
  });

  it('are rejected with unknown_event (400) when asked', () => {
    const err = thrown(() => parseWorkOSEvent(unknown, { rejectUnknownEvents: true }));
    expect(err.code).toBe('unknown_event');
    expect(err.status).toBe(400);
    expect(parseWorkOSEvent(createTestEvent('user.created'), { rejectUnknownEvents: true }).event).toBe('user.created');
  });
});

describe('isWorkOSEvent', () => {
  it('matches one name or a list of names', () => {
    const e: WorkOSEvent = createTestEvent('user.updated');
    expect(isWorkOSEvent(e, 'user.updated')).toBe(true);
    expect(isWorkOSEvent(e, 'user.created')).toBe(false);
    expect(isWorkOSEvent(e, ['user.created', 'user.updated'])).toBe(true);
    expect(isWorkOSEvent(e, [])).toBe(false);
  });
});

describe('eventCreatedAt', () => {
  it.each([
    ['2023-04-28T20:05:31.093Z', '2023-04-28T20:05:31.093Z'],
    ['2023-04-28 20:05:31.093', '2023-04-28T20:05:31.093Z'],
    ['2020-05-06 04:21:48.649164', '2020-05-06T04:21:48.649Z'],
    ['2020-05-06T04:21:48.649164Z', '2020-05-06T04:21:48.649Z'],
    ['2020-05-06T04:21:48+02:00', '2020-05-06T02:21:48.000Z'],
    ['2020-05-06T04:21:48.1-0130', '2020-05-06T05:51:48.100Z'],
    ['2020-05-06T04:21Z', '2020-05-06T04:21:00.000Z'],
  ])('%s', (raw, iso) => {
    expect(eventCreatedAt({ created_at: raw }).toISOString()).toBe(iso);
    expect(eventCreatedAt(raw).toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2023-13-45T99:00:00Z', '1682712331093'])('rejects %j with invalid_event', (raw) => {
    expect(thrown(() => eventCreatedAt(raw)).code).toBe('invalid_event');
  });
});
