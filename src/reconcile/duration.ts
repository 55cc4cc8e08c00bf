import { WorkOSReconcileError } from './errors.js';

/**
 * How long the Events API keeps events, and the widest window one query may ask for: 30 days.
 *
 * @example
 * ```ts
 * const oldest = new Date(Date.now() - EVENTS_API_RETENTION_MS);
 * ```
 */
export const EVENTS_API_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A duration such as `'30s'`, `'15m'`, `'24h'`, `'7d'` or `'1h30m'` (units `ms`, `s`, `m`, `h`, `d`, `w`).
 * Plain strings are accepted too and validated at run time.
 *
 * @example
 * ```ts
 * const window: WorkOSDuration = '24h';
 * ```
 */
export type WorkOSDuration = `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w'}` | (string & {});

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/**
 * Parses a duration like `'24h'`, `'30m'`, `'7d'` or `'1h30m'` into milliseconds.
 * Throws {@link WorkOSReconcileError} (`invalid_since`) on anything else, including `''`, `'10'` and `'-1h'`.
 *
 * @example
 * ```ts
 * parseDuration('24h'); // 86_400_000
 * parseDuration('1h30m'); // 5_400_000
 * ```
 */
export function parseDuration(text: string): number {
  const input = text.trim();
  let total = 0;
  let index = 0;
  PART.lastIndex = 0;
  while (index < input.length) {
    PART.lastIndex = index;
    const match = PART.exec(input);
    if (!match) break;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    index = PART.lastIndex;
  }
  if (input.length === 0 || index !== input.length || !Number.isFinite(total) || total <= 0) {
    throw new WorkOSReconcileError(
      'invalid_since',
      `Not a duration: ${JSON.stringify(text.slice(0, 40))}. Use a number and a unit, e.g. '30m', '24h', '7d' or '1h30m'.`,
    );
  }
  return Math.round(total);
}

/**
 * Turns `since` (a Date, an ISO date string or a duration back from `now`) into the start of the window, and
 * checks it lies within the Events API's 30-day retention and not in the future.
 *
 * @example
 * ```ts
 * resolveSince('24h'); // a Date 24 hours ago
 * resolveSince(new Date('2026-01-01T00:00:00Z'), Date.parse('2026-01-02T00:00:00Z'));
 * ```
 */
export function resolveSince(since: Date | WorkOSDuration, now: number = Date.now()): Date {
  let start: Date;
  if (since instanceof Date) {
    start = since;
  } else if (typeof since === 'string' && /^\d{4}-\d{2}-\d{2}/.test(since.trim())) {
    start = new Date(since.trim());
  } else if (typeof since === 'string') {
    start = new Date(now - parseDuration(since));
  } else {
    throw new WorkOSReconcileError('invalid_since', 'since must be a Date, a duration like "24h" or a cursor store.');
  }
  const time = start.getTime();
  if (Number.isNaN(time)) throw new WorkOSReconcileError('invalid_since', 'since is an invalid date.');
  if (time > now) {
    throw new WorkOSReconcileError('since_out_of_range', `since (${start.toISOString()}) is in the future.`);
  }
  if (now - time > EVENTS_API_RETENTION_MS) {
    throw new WorkOSReconcileError(
      'since_out_of_range',
      `since (${start.toISOString()}) is more than 30 days ago: the Events API keeps events for 30 days and ` +
        'answers at most a 30-day window per query. Use a shorter window, or continue from a cursor store.',
    );
  }
  return start;
}
