/**
 * `workos-events/events`: one type alias per known event (`UserCreatedEvent`, `UserCreatedData`, …) and the shared
 * object types of their payloads. Types only: this entry has no runtime code. At the root, `WorkOSEventOf<N>` and
 * `WorkOSEventData<N>` name the same types by event name.
 * @packageDocumentation
 */

export type { WorkOSEventName } from './events/generated/names.js';
export type * from './events/generated/types.js';
export type {
  UnknownWorkOSEvent,
  UnknownWorkOSEventName,
  WorkOSEvent,
  WorkOSEventData,
  WorkOSEventOf,
} from './events/types.js';
