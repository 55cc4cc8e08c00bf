import { WORKOS_EVENT_NAMES, type WorkOSEventName } from './generated/names.js';
import type { UnknownWorkOSEvent, WorkOSEvent, WorkOSEventOf } from './types.js';

const KNOWN: ReadonlySet<string> = new Set(WORKOS_EVENT_NAMES);

/**
 * True when `event` is of the given type (or one of the given types); narrows it.
 *
 * @example
 * ```ts
 * if (isWorkOSEvent(event, 'dsync.user.created')) console.log(event.data.directory_id);
 * if (isWorkOSEvent(event, ['user.created', 'user.updated'])) console.log(event.data.email);
 * ```
 */
export function isWorkOSEvent<N extends WorkOSEventName>(
  event: WorkOSEvent,
  name: N | readonly N[],
): event is WorkOSEventOf<N> {
  return typeof name === 'string' ? event.event === name : (name as readonly string[]).includes(event.event);
}

/**
 * True when `name` is an event type the library knows (in {@link WORKOS_EVENT_NAMES}).
 *
 * @example
 * ```ts
 * if (!isKnownWorkOSEventName(event.event)) metrics.increment('workos.unknown_event');
 * ```
 */
export function isKnownWorkOSEventName(name: string): name is WorkOSEventName {
  return KNOWN.has(name);
}

/**
 * True when `event` is of a type the library does not know (an {@link UnknownWorkOSEvent}); narrows it. To match
 * a specific new type before the library knows it, compare the name as a string: `(event.event as string) === 'x.y'`.
 *
 * @example
 * ```ts
 * if (isUnknownWorkOSEvent(event)) log.info({ type: event.event }, 'unhandled WorkOS event type');
 * ```
 */
export function isUnknownWorkOSEvent(event: WorkOSEvent): event is UnknownWorkOSEvent {
  return !KNOWN.has(event.event);
}
