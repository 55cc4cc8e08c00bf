export type { EventsEncoding, FetchLike } from './client.js';
export { type CursorStore, MemoryCursorStore } from './cursor-store.js';
export { isWorkOSApiError, type WorkOSApiClientErrorCode, WorkOSApiError, type WorkOSApiFieldError } from './errors.js';
export { FileCursorStore, type FileCursorStoreOptions } from './file-cursor-store.js';
export type { EventsApiLogger, InvalidEventHook, InvalidEventInfo, OnInvalidEvent } from './invalid-event.js';
export { type EventPage, type EventStream, listEvents, pollEvents } from './list-events.js';
export type {
  EventsApiValidateMode,
  ListEventsOptions,
  PollEventsOptions,
  WorkOSClientLike,
} from './options.js';
export { parseRetryAfter, type RetryInfo, type RetryPolicy } from './retry.js';
