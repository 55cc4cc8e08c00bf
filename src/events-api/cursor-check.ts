import { WorkOSApiError } from './errors.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The creation time (ms since the epoch) in the ULID of a WorkOS id (`event_01HZ…`, the CLI emulator's `evt_01M8…`),
 * or undefined when the id does not end in a ULID.
 */
export function ulidTime(id: string): number | undefined {
  const ulid = id.slice(id.lastIndexOf('_') + 1).toUpperCase();
  if (ulid.length !== 26) return undefined;
  let ms = 0;
  for (let i = 0; i < 26; i++) {
    const digit = CROCKFORD.indexOf(ulid[i]!);
    if (digit < 0) return undefined;
    if (i < 10) ms = ms * 32 + digit; // the first 10 characters are the 48-bit timestamp
  }
  return ms;
}

function firstId(data: readonly unknown[]): string | undefined {
  for (const item of data) {
    const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/**
 * A server that does not know the `after` event may list from the beginning instead of failing: WorkOS's CLI emulator
 * does (its events live in memory, and with an `events[]` filter it only finds cursors of the filtered types). That
 * page says there is nothing before it (`list_metadata.before: null`) yet starts with an event older than the cursor.
 * Returns the error to raise then, so the older events are not handed out again as if they were new. The spec's list
 * has no `before`, so a page without one is never judged; a cursor older than every event (a stale one from an
 * emulator that restarted) correctly lists everything.
 */
export function ignoredCursorError(
  after: string,
  page: { data: readonly unknown[]; before?: string | null | undefined },
): WorkOSApiError | undefined {
  if (page.before !== null) return undefined;
  const first = firstId(page.data);
  if (first === undefined || first === after) return undefined;
  const cursorAt = ulidTime(after);
  const firstAt = ulidTime(first);
  if (cursorAt === undefined || firstAt === undefined || firstAt >= cursorAt) return undefined;
  return new WorkOSApiError(
    `WorkOS API GET /events ignored the cursor after=${after}: it listed from the beginning (first item ${first}, ` +
      "older than the cursor), which a server does when it does not know that event. WorkOS's CLI emulator does this " +
      'for an id from another run or environment, or of a type outside an `events[]` filter. Start over on purpose ' +
      'instead: drop the saved cursor (or `after`) and use `rangeStart`.',
    { status: 200, code: 'cursor_not_found' },
  );
}
