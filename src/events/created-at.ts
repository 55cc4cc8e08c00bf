import { WorkOSEventParseError } from '../errors/parse.js';

// 2023-04-28T20:05:31.093Z, 2023-04-28 20:05:31.093, 2020-05-06 04:21:48.649164, with or without a zone.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The event's `created_at` as a `Date`. Lenient about the formats WorkOS has used: ISO 8601 with `Z` or an
 * offset, a space instead of `T`, no zone (read as UTC), and micro- or nanoseconds (truncated to milliseconds).
 * Throws `WorkOSEventParseError` (`invalid_event`) when the string is not a timestamp.
 *
 * @example
 * ```ts
 * eventCreatedAt({ created_at: '2023-04-28 20:05:31.093' }).toISOString(); // '2023-04-28T20:05:31.093Z'
 * ```
 */
export function eventCreatedAt(event: { created_at: string } | string): Date {
  const raw = typeof event === 'string' ? event : event.created_at;
  const match = typeof raw === 'string' ? TIMESTAMP.exec(raw.trim()) : null;
  if (match) {
    const [, day, time, fraction, zone] = match;
    const ms = (fraction ?? '').padEnd(3, '0').slice(0, 3);
    let tz = zone ?? 'Z';
    if (/^[+-]\d{4}$/.test(tz)) tz = `${tz.slice(0, 3)}:${tz.slice(3)}`;
    const hms = time!.length === 5 ? `${time}:00` : time;
    const date = new Date(`${day}T${hms}.${ms}${tz.toUpperCase()}`);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new WorkOSEventParseError('invalid_event', 'The event created_at is not a recognizable timestamp.');
}
