import { describe, expectTypeOf, it } from 'vitest';
import {
  isUnknownWorkOSEvent,
  isWorkOSEvent,
  parseWorkOSEvent,
  type UnknownWorkOSEvent,
  type WORKOS_EVENT_NAMES,
  type WorkOSDirectoryUser,
  type WorkOSEvent,
  type WorkOSEventData,
  type WorkOSEventEnvelope,
  type WorkOSEventName,
  type WorkOSEventOf,
} from '../../src/index.js';
import { createTestEvent } from '../../src/testing/index.js';

declare const event: WorkOSEvent;

describe('WorkOSEvent narrowing', () => {
  it('a switch on `event` narrows to exactly one member', () => {
    switch (event.event) {
      case 'dsync.user.created':
        expectTypeOf(event).toEqualTypeOf<WorkOSEventOf<'dsync.user.created'>>();
        expectTypeOf(event.data.directory_id).toEqualTypeOf<string>();
        expectTypeOf(event.data.state).toEqualTypeOf<'active' | 'suspended' | 'inactive' | (string & {})>();
        // @ts-expect-error `slug` belongs to role events, not directory users
        event.data.slug;
        break;
      case 'role.created':
        expectTypeOf(event.data.slug).toEqualTypeOf<string>();
        // @ts-expect-error role events have no `id` in data
        event.data.id;
        break;
      case 'dsync.group.user_added':
        expectTypeOf(event.data.user).toEqualTypeOf<WorkOSDirectoryUser>();
        break;
      case 'authentication.sso_failed':
        expectTypeOf(event.data.type).toEqualTypeOf<'sso'>();
        break;
      default:
        expectTypeOf(event).toEqualTypeOf<
          Exclude<
            WorkOSEvent,
            { event: 'dsync.user.created' | 'role.created' | 'dsync.group.user_added' | 'authentication.sso_failed' }
          >
        >();
    }
  });

  it('the types from the SDK 12 overlay narrow like the spec ones', () => {
    if (isWorkOSEvent(event, 'feature_flags.flag.updated')) {
      // A required context, typed from the overlay.
      expectTypeOf(event.context.actor.source).toEqualTypeOf<
        'api' | 'dashboard' | 'admin_portal' | 'system' | (string & {})
      >();
      expectTypeOf(event.context.previous_attributes?.data?.enabled).toEqualTypeOf<boolean | undefined>();
      expectTypeOf(event.data.owner).toEqualTypeOf<{
        email: string;
        first_name: string | null;
        last_name: string | null;
      } | null>();
    }
    if (isWorkOSEvent(event, 'feature_flags.flag_target.created')) {
      // A union data: `rule_id` only on the current shape, `value` only on the legacy one.
      expectTypeOf(event.data.flag_slug).toEqualTypeOf<string>();
      // @ts-expect-error not on every branch of the union
      event.data.rule_id;
      if ('rule_id' in event.data) expectTypeOf(event.data.rule_id).toEqualTypeOf<string>();
    }
    if (event.event === 'resource_export.completed') {
      expectTypeOf(event.data.resource_type).toEqualTypeOf<
        | 'users'
        | 'organizations'
        | 'events'
        | 'sessions'
        | 'auditLogEvents'
        | 'connections'
        | 'directoryUsers'
        | 'scimLogs'
        | (string & {})
      >();
      expectTypeOf(event.context).toEqualTypeOf<WorkOSEventOf<'user.created'>['context']>();
    }
    expectTypeOf(createTestEvent('vault.dek.rekeyed').data.key_ids).toEqualTypeOf<string[]>();
  });

  it('an `if` comparison narrows too', () => {
    if (event.event === 'user.created') {
      expectTypeOf(event.data.email).toEqualTypeOf<string>();
      // @ts-expect-error no such field on user data
      event.data.directory_id;
    }
  });

  it('isWorkOSEvent narrows to one type or to a union of the listed types', () => {
    if (isWorkOSEvent(event, 'organization.updated')) {
      expectTypeOf(event).toEqualTypeOf<WorkOSEventOf<'organization.updated'>>();
    }
    if (isWorkOSEvent(event, ['user.created', 'user.deleted'])) {
      expectTypeOf(event.event).toEqualTypeOf<'user.created' | 'user.deleted'>();
      expectTypeOf(event.data.email).toEqualTypeOf<string>();
    }
    // @ts-expect-error not an event name
    isWorkOSEvent(event, 'user.exploded');
  });

  it('an unknown event type still type-checks and lands in its own member', () => {
    switch (event.event) {
      case 'user.created':
        break;
      default:
        if (isUnknownWorkOSEvent(event)) {
          expectTypeOf(event).toEqualTypeOf<UnknownWorkOSEvent>();
          expectTypeOf(event.data).toEqualTypeOf<Record<string, unknown>>();
          expectTypeOf(event.event).toExtend<string>();
        }
    }
    // A type the library does not know yet is matched by comparing the name as a string …
    if ((event.event as string) === 'brand.new_event') expectTypeOf(event.id).toEqualTypeOf<string>();
    // … because the unknown member's name is branded: that is what keeps known-name narrowing exact.
    // @ts-expect-error 'brand.new_event' is not a known name
    if (event.event === 'brand.new_event') event.data;
    const parsed = parseWorkOSEvent({});
    expectTypeOf(parsed).toEqualTypeOf<WorkOSEvent>();
    expectTypeOf<UnknownWorkOSEvent>().toExtend<WorkOSEvent>();
  });

  it('names, members and data helpers line up', () => {
    expectTypeOf<(typeof WORKOS_EVENT_NAMES)[number]>().toEqualTypeOf<WorkOSEventName>();
    expectTypeOf<WorkOSEventData<'session.revoked'>>().toEqualTypeOf<WorkOSEventOf<'session.revoked'>['data']>();
    expectTypeOf<WorkOSEventOf<'session.revoked'>['event']>().toEqualTypeOf<'session.revoked'>();
    // @ts-expect-error not a known event name
    expectTypeOf<WorkOSEventOf<'session.exploded'>>().toBeObject();
  });

  it('every event fits the envelope type and plain records (type aliases, not interfaces)', () => {
    expectTypeOf<WorkOSEvent>().toExtend<WorkOSEventEnvelope>();
    expectTypeOf<WorkOSEvent>().toExtend<Record<string, unknown>>();
    expectTypeOf<WorkOSEventData<'dsync.user.created'>>().toExtend<Record<string, unknown>>();
  });

  it('createTestEvent is typed by name and its overrides are checked', () => {
    const e = createTestEvent('connection.activated', { data: { state: 'active' } });
    expectTypeOf(e).toEqualTypeOf<WorkOSEventOf<'connection.activated'>>();
    // @ts-expect-error unknown field in overrides of this type
    createTestEvent('connection.activated', { data: { slug: 'x' } });
    // @ts-expect-error wrong value type in overrides
    createTestEvent('user.created', { data: { email: 42 } });
  });
});
