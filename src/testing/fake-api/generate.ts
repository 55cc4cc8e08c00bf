import type { FakeWorkOSEvent } from './types.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(value: bigint, length: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[Number(v & 31n)] + out;
    v >>= 5n;
  }
  return out;
}

/** splitmix64: deterministic, well-mixed "random" bits from an index. */
function mix(seed: bigint): bigint {
  let z = (seed + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return z ^ (z >> 31n);
}

/** A ULID (26 Crockford characters): 48-bit ms timestamp then 80 bits derived from `salt`. Sorts by time. */
export function fakeUlid(timeMs: number, salt: number): string {
  const rand = ((mix(BigInt(salt)) << 16n) | (mix(BigInt(salt) + 1n) & 0xffffn)) & ((1n << 80n) - 1n);
  return base32(BigInt(timeMs), 10) + base32(rand, 16);
}

/**
 * Options of {@link createFakeEventGenerator}.
 *
 * @example
 * ```ts
 * const generate = createFakeEventGenerator({ types: ['user.created'], startAt: new Date('2026-03-01'), stepMs: 10 });
 * ```
 */
export interface FakeEventGeneratorOptions {
  /** Event types to cycle through. Default: a mix of directory, user, organization and connection events. */
  types?: readonly string[];
  /** `created_at` of event 0. Default 2026-01-01T00:00:00Z. */
  startAt?: Date;
  /** Time between consecutive events, ms (≥ 1). Default 1000. */
  stepMs?: number;
  /** Organizations to spread organization-scoped events over. Default 3. */
  organizations?: number;
}

/**
 * The event types {@link createFakeEventGenerator} produces by default, in rotation: pass them as `events` when
 * listing from a fake filled with generated events.
 *
 * @example
 * ```ts
 * for await (const e of listEvents({ events: FAKE_EVENT_TYPES, apiKey: api.apiKey, baseUrl: api.url })) seen.push(e.id);
 * ```
 */
export const FAKE_EVENT_TYPES = [
  'dsync.user.created',
  'user.created',
  'organization.updated',
  'dsync.user.updated',
  'connection.activated',
  'dsync.group.user_added',
] as const;

function dataFor(type: string, i: number, at: string, org: string, salt: (k: number) => string) {
  const user = {
    object: 'directory_user',
    id: `directory_user_${salt(1)}`,
    directory_id: `directory_${salt(2).slice(0, 16)}`,
    organization_id: org,
    idp_id: String(100000 + i),
    email: `user${i}@example.com`,
    first_name: 'Ada',
    last_name: `Lovelace ${i}`,
    state: 'active',
    custom_attributes: { department: 'Engineering' },
    raw_attributes: {},
    role: { slug: 'member' },
    created_at: at,
    updated_at: at,
  };
  switch (type) {
    case 'dsync.user.created':
    case 'dsync.user.updated':
      return user;
    case 'dsync.group.user_added':
      return {
        directory_id: user.directory_id,
        user,
        group: {
          object: 'directory_group',
          id: `directory_group_${salt(3)}`,
          idp_id: `group-${i % 17}`,
          directory_id: user.directory_id,
          organization_id: org,
          name: 'Engineering',
          created_at: at,
          updated_at: at,
          raw_attributes: {},
        },
      };
    case 'user.created':
      return {
        object: 'user',
        id: `user_${salt(4)}`,
        email: `person${i}@example.com`,
        first_name: 'Grace',
        last_name: `Hopper ${i}`,
        email_verified: true,
        profile_picture_url: null,
        last_sign_in_at: null,
        external_id: null,
        metadata: {},
        created_at: at,
        updated_at: at,
      };
    case 'organization.updated':
      return {
        object: 'organization',
        id: org,
        name: `Example Org ${org.slice(-4)}`,
        allow_profiles_outside_organization: false,
        domains: [
          { object: 'organization_domain', id: `org_domain_${salt(5)}`, domain: 'example.com', state: 'verified' },
        ],
        external_id: null,
        metadata: {},
        created_at: at,
        updated_at: at,
      };
    case 'connection.activated':
      return {
        object: 'connection',
        id: `conn_${salt(6)}`,
        organization_id: org,
        connection_type: 'OktaSAML',
        name: 'Okta',
        state: 'active',
        status: 'linked',
        domains: [{ object: 'connection_domain', id: `conn_domain_${salt(7)}`, domain: 'example.com' }],
        created_at: at,
        updated_at: at,
      };
    default:
      return { object: type.split('.')[0] ?? 'object', id: `obj_${salt(8)}`, organization_id: org, created_at: at };
  }
}

/**
 * Returns `generate(i)` for a {@link FakeEventSource}: deterministic, realistic events (ULID ids with the right
 * prefixes, ISO timestamps increasing with `i`, the wire shape of each type) — cheap enough for millions.
 *
 * @example
 * ```ts
 * const api = await createFakeWorkOSApi({ events: { count: 1_000_000, generate: createFakeEventGenerator() } });
 * ```
 */
export function createFakeEventGenerator(options: FakeEventGeneratorOptions = {}): (index: number) => FakeWorkOSEvent {
  const types = options.types?.length ? options.types : FAKE_EVENT_TYPES;
  const start = (options.startAt ?? new Date('2026-01-01T00:00:00.000Z')).getTime();
  const step = Math.max(1, Math.floor(options.stepMs ?? 1000));
  const orgCount = Math.max(1, options.organizations ?? 3);
  const orgs = Array.from({ length: orgCount }, (_, k) => `org_${fakeUlid(start - 86_400_000 + k, 7_000_000 + k)}`);
  return (index: number): FakeWorkOSEvent => {
    const time = start + index * step;
    const at = new Date(time).toISOString();
    const type = types[index % types.length] as string;
    const org = orgs[index % orgCount] as string;
    const salt = (k: number): string => fakeUlid(time, index * 16 + k);
    const event: FakeWorkOSEvent = {
      object: 'event',
      id: `event_${fakeUlid(time, index)}`,
      event: type,
      data: dataFor(type, index, at, org, salt),
      created_at: at,
    };
    if (type !== 'user.created') event.context = {};
    return event;
  };
}
