import type { WorkOSEventName } from './generated/names.js';
import type { KnownWorkOSEvent, WorkOSEventMap } from './generated/types.js';

/**
 * The `event` name of a type the library does not know (yet). A branded template type, so that comparing
 * `event.event` with a known name still narrows to that one member in a `switch`, while any other name
 * (`'some.new_event'`) still type-checks and lands in `default`.
 *
 * @example
 * ```ts
 * if (event.event === 'brand.new_event') console.log(event.data); // UnknownWorkOSEvent
 * ```
 */
export type UnknownWorkOSEventName = `${string}.${string}` & { readonly __unknownWorkOSEvent: true };

/**
 * An event whose type is not in {@link WORKOS_EVENT_NAMES} (WorkOS adds types often). Returned as sent, never
 * dropped, unless `rejectUnknownEvents` is set.
 *
 * @example
 * ```ts
 * switch (event.event) {
 *   case 'user.created': break;
 *   default: console.log('unhandled', event.event, Object.keys(event.data));
 * }
 * ```
 */
export type UnknownWorkOSEvent = {
  object?: 'event';
  id: string;
  event: UnknownWorkOSEventName;
  data: Record<string, unknown>;
  /** Raw timestamp as sent; see `eventCreatedAt()`. */
  created_at: string;
  context?: Record<string, unknown>;
};

/**
 * Any WorkOS event: one of the known types (discriminated on `event`) or an {@link UnknownWorkOSEvent}.
 *
 * @example
 * ```ts
 * function handle(event: WorkOSEvent) {
 *   switch (event.event) {
 *     case 'dsync.user.created': return event.data.directory_id;
 *     case 'user.deleted': return event.data.email;
 *   }
 * }
 * ```
 */
export type WorkOSEvent = KnownWorkOSEvent | UnknownWorkOSEvent;

/**
 * The event type of one known event name.
 *
 * @example
 * ```ts
 * function onUser(e: WorkOSEventOf<'user.created'>) { console.log(e.data.email); }
 * ```
 */
export type WorkOSEventOf<N extends WorkOSEventName> = WorkOSEventMap[N];

/**
 * The `data` payload of one known event name.
 *
 * @example
 * ```ts
 * const data: WorkOSEventData<'organization.created'> = event.data;
 * ```
 */
export type WorkOSEventData<N extends WorkOSEventName> = WorkOSEventMap[N]['data'];
