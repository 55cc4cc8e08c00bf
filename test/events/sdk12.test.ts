/**
 * @workos-inc/node 12.3.0 (the devDependency alias `workos-node-12`) as the oracle for the event catalogue. Its
 * declarations, read with the TypeScript compiler API (any Node version: only files are read), list the same 136
 * types as WORKOS_EVENT_NAMES and give each overlay type the shape our generated schema has. Its runtime (Node >= 22)
 * deserializes a `createTestEvent` of every type as a known event.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { specEventSchema } from '../../src/events/schemas.js';
import { WORKOS_EVENT_NAMES, type WorkOSEventName } from '../../src/index.js';
import { createTestEvent } from '../../src/testing/index.js';
import { diffShapes, readSdkEvents, type SdkEvent, type Shape, zodMember } from './sdk12-shapes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const overlayFile = path.resolve(here, '../../scripts/events-overlay/workos-node-12.3.0.yaml');
const overlayNames = Object.keys(
  (parse(readFileSync(overlayFile, 'utf8')) as { events: Record<string, unknown> }).events,
) as WorkOSEventName[];

const major = Number(process.versions.node.split('.')[0]);
const runtimeSupported = major >= 22;
if (!runtimeSupported) {
  console.warn(
    `[test/events/sdk12] SKIPPED the runtime checks on Node ${process.version}: @workos-inc/node 12 needs Node >= 22 (runs on the Node 22/24 legs). The declaration checks ran.`,
  );
}

let sdkEvents: Map<string, SdkEvent>;
const sdk = (name: string): SdkEvent => {
  const e = sdkEvents.get(name);
  if (!e) throw new Error(`SDK 12 declares no ${name}`);
  return e;
};
const ours = (name: WorkOSEventName, member: 'data' | 'context') => zodMember(specEventSchema(name), member);
const isBaseContext = (c: SdkEvent['context']): boolean =>
  c.optional && c.shape.k === 'record' && c.shape.of.k === 'unknown';

describe('@workos-inc/node 12.3.0 declarations as oracle', () => {
  beforeAll(() => {
    sdkEvents = new Map(readSdkEvents('workos-node-12').map((e) => [e.name, e]));
  }, 60_000);

  it('declares exactly the event types of WORKOS_EVENT_NAMES (136)', () => {
    expect([...sdkEvents.keys()].sort()).toEqual([...WORKOS_EVENT_NAMES]);
    expect(sdkEvents.size).toBe(136);
  });

  it('the overlay holds the 25 types (and only those) that spec 0.61.0 lacks', () => {
    expect(overlayNames).toHaveLength(25);
    expect(overlayNames.every((n) => sdkEvents.has(n))).toBe(true);
  });

  it.each(overlayNames)('%s: our schema has the data and context the SDK declares', (name) => {
    const expected = sdk(name);
    const data = ours(name, 'data');
    expect(data?.optional).toBe(false);
    expect(diffShapes(expected.data, data!.shape)).toEqual([]);
    const context = ours(name, 'context');
    if (isBaseContext(expected.context)) {
      // The SDK's base `context?: Record<string, unknown>`: the spec's EventContextDto, as for user.created.
      expect(isBaseContext(sdk('user.created').context)).toBe(true);
      expect(context).toEqual(ours('user.created', 'context'));
    } else {
      expect(context?.optional).toBe(expected.context.optional);
      expect(diffShapes(expected.context.shape, context!.shape)).toEqual([]);
    }
  });

  it('the comparison catches a wrong field, a wrong optionality, a wrong literal and a wrong context', () => {
    expect(diffShapes(sdk('agent.instance.created').data, ours('agent.blueprint.created', 'data')!.shape)).toContain(
      '$.agent_blueprint_id: missing from ours',
    );
    const data = ours('resource_export.created', 'data')!.shape as Extract<Shape, { k: 'object' }>;
    const optionalId = { k: 'object' as const, props: { ...data.props, id: { ...data.props.id!, optional: true } } };
    expect(diffShapes(sdk('resource_export.created').data, optionalId)).toEqual([
      '$.id: required in the SDK, not in ours',
    ]);
    const fewerTypes = {
      k: 'object' as const,
      props: { ...data.props, resource_type: { optional: false, shape: { k: 'literal' as const, values: ['users'] } } },
    };
    expect(diffShapes(sdk('resource_export.created').data, fewerTypes)[0]).toMatch(/^\$\.resource_type: SDK /);
    expect(
      diffShapes(
        sdk('feature_flags.flag_rule.created').context.shape,
        ours('feature_flags.flag.created', 'context')!.shape,
      ),
    ).toEqual(['$.actor: optional in the SDK, not in ours']);
  });
});

interface SdkWebhooks {
  computeSignature(timestamp: unknown, payload: unknown, secret: string): Promise<string>;
  constructEvent(o: { payload: unknown; sigHeader: string; secret: string }): Promise<{
    event: string;
    createdAt: Date;
    data: Record<string, unknown>;
  }>;
}

describe.skipIf(!runtimeSupported)('@workos-inc/node 12.3.0 runtime as oracle', () => {
  const secret = 'whsec_sdk12_oracle';
  let webhooks: SdkWebhooks;

  beforeAll(async () => {
    const { WorkOS } = (await import('workos-node-12')) as unknown as {
      WorkOS: new (key: string) => { webhooks: SdkWebhooks };
    };
    webhooks = new WorkOS('sk_test_oracle').webhooks;
  });

  /** constructEvent on a genuinely signed delivery of `event`, with an extra field in `data`. */
  async function construct(event: Record<string, unknown>) {
    const payload = JSON.stringify({ ...event, data: { ...(event.data as object), zz_probe: 1 } });
    const t = Date.now();
    const sigHeader = `t=${t}, v1=${await webhooks.computeSignature(t, payload, secret)}`;
    return webhooks.constructEvent({ payload, sigHeader, secret });
  }

  /** Paths of `undefined` values and invalid Dates: fields the SDK reads that our event does not carry. */
  function holes(value: unknown, at = '$'): string[] {
    if (value === undefined) return [at];
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? [`${at} (Invalid Date)`] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => holes(v, `${at}[${i}]`));
    if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => holes(v, `${at}.${k}`));
    return [];
  }

  it('an event type the SDK does not know keeps its raw data (the probe this suite relies on)', async () => {
    const got = await construct({
      id: 'event_x',
      event: 'no_such.event',
      data: { a: 1 },
      created_at: new Date().toISOString(),
    });
    expect(got.data).toEqual({ a: 1, zz_probe: 1 });
  });

  // Fields SDK 12 reads that spec 0.61.0 does not list for these (spec-sourced) types: the spec is our source for
  // them, and WorkOS sending the fields anyway is harmless (objects keep unknown fields). Pinned so a change on
  // either side shows up here.
  const specLacks: Partial<Record<WorkOSEventName, string[]>> = {
    'connection.deleted': ['$.domains'],
    'organization.created': ['$.allowProfilesOutsideOrganization'],
    'organization.deleted': ['$.allowProfilesOutsideOrganization'],
    'organization.updated': ['$.allowProfilesOutsideOrganization'],
    'organization_membership.created': ['$.organizationName'],
    'organization_membership.deleted': ['$.organizationName'],
    'organization_membership.updated': ['$.organizationName'],
    'waitlist_user.approved': ['$.additionalFields'],
    'waitlist_user.created': ['$.additionalFields'],
    'waitlist_user.denied': ['$.additionalFields'],
  };

  it('no overlay type is among them: the SDK reads nothing our overlay events lack', () => {
    expect(overlayNames.filter((n) => n in specLacks)).toEqual([]);
  });

  it.each(WORKOS_EVENT_NAMES)(
    '%s: createTestEvent is deserialized as a known SDK 12 event, no field missing',
    async (name) => {
      const event = createTestEvent(name) as unknown as Record<string, unknown>;
      const got = await construct(event);
      expect(got.event).toBe(name);
      // Known types go through a field-by-field deserializer, which drops the probe.
      expect(got.data).not.toHaveProperty('zz_probe');
      expect(got.createdAt.toISOString()).toBe(event.created_at);
      expect(holes(got.data)).toEqual(specLacks[name] ?? []);
    },
  );
});
