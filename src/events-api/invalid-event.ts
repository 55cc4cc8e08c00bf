import { isWorkOSEventParseError, WorkOSEventParseError } from '../errors/parse.js';

/**
 * A hook for Events API items that fail to parse: it receives the raw item as the API sent it (it may hold personal
 * data: do not log it whole) and the parser's error (`invalid_payload` for a broken envelope such as `data: null`,
 * `invalid_event` for spec drift under `validate: 'strict'`; the message names paths, never values). The item is
 * then skipped. The hook may return a promise, which is awaited; if it throws or rejects, the iteration stops with
 * that error and the cursor stays before the item.
 *
 * @example
 * ```ts
 * const hook: InvalidEventHook = async (item, error) => {
 *   await deadLetters.insert({ item: JSON.stringify(item), code: error.code });
 * };
 * ```
 */
export type InvalidEventHook = (item: unknown, error: WorkOSEventParseError) => void | Promise<void>;

/**
 * What to do with an Events API item that does not parse:
 * - `'throw'` (default of `listEvents`): stop the iteration with a `WorkOSEventParseError` that names the item's id;
 *   the cursor stays before it;
 * - `'skip'` (default of `pollEvents` and `reconcile`): log it at error level (id, code, message; never values) and
 *   move the cursor past it;
 * - a function: call it with the raw item and the error, then skip the item as `'skip'` does (without the log line:
 *   the function is the report).
 *
 * @example
 * ```ts
 * const stream = listEvents({ events: ['user.created'], onInvalidEvent: 'skip' });
 * ```
 */
export type OnInvalidEvent = 'throw' | 'skip' | InvalidEventHook;

/**
 * An item skipped as invalid, as reports list it: never a value of the payload.
 *
 * @example
 * ```ts
 * for (const page of pages) for (const bad of page.invalid) console.warn('skipped', bad.id, bad.code, bad.message);
 * ```
 */
export interface InvalidEventInfo {
  /** The item's id; undefined when it has none (no `id`, or not a non-empty string). */
  id: string | undefined;
  /** The parser's code: `invalid_payload` (not an event envelope) or `invalid_event` (`validate: 'strict'` drift). */
  code: string;
  /** What is wrong: paths and kinds of deviation, never values. */
  message: string;
}

/**
 * Where skipped items are logged: pino, or anything with `error(obj, msg)`.
 *
 * @example
 * ```ts
 * const logger: EventsApiLogger = { error: (obj, msg) => console.error(msg, obj) };
 * ```
 */
export interface EventsApiLogger {
  error: (obj: Record<string, unknown>, msg?: string) => void;
}

/** Ids as shown in messages: a hostile server could send anything, so quoted and clipped. */
function label(id: string | undefined, anchor: string | undefined): string {
  if (id !== undefined) return JSON.stringify(id.length > 100 ? `${id.slice(0, 100)}…` : id);
  return `without an id (after ${anchor === undefined ? 'the start of the list' : JSON.stringify(anchor)})`;
}

/** The parser's error, or an `invalid_payload` one for anything else it threw. A setup error is not an item's fault. */
export function asParseError(thrown: unknown): WorkOSEventParseError {
  if (isWorkOSEventParseError(thrown)) {
    if (thrown.code === 'schemas_not_loaded') throw thrown;
    return thrown;
  }
  return new WorkOSEventParseError('invalid_payload', 'The item could not be read as a WorkOS event.', {
    cause: thrown,
  });
}

/** How one stream treats invalid items: the policy resolved once, applied per item. */
export interface InvalidEventPolicy {
  fn: string;
  onInvalidEvent: OnInvalidEvent;
  logger: EventsApiLogger | undefined;
}

/**
 * Applies the policy to one invalid item: throws for `'throw'` (and when a hook throws), otherwise logs or calls the
 * hook and returns what reports list. `anchor` (the last item before it that has an id) places an item without one.
 */
export async function handleInvalidItem(
  policy: InvalidEventPolicy,
  item: unknown,
  thrown: unknown,
  id: string | undefined,
  anchor: string | undefined,
): Promise<InvalidEventInfo> {
  const error = asParseError(thrown);
  const info: InvalidEventInfo = { id, code: error.code, message: error.message };
  const { fn, onInvalidEvent } = policy;
  if (onInvalidEvent === 'throw') {
    throw new WorkOSEventParseError(
      error.code,
      `${fn}: Events API item ${label(id, anchor)} is not a valid WorkOS event: ${error.message} ` +
        "The iteration stopped before it. Pass `onInvalidEvent: 'skip'` (or a function) to skip such items and go on.",
      { cause: error },
    );
  }
  if (typeof onInvalidEvent === 'function') {
    await onInvalidEvent(item, error);
    return info;
  }
  const message = `${fn}: skipped an invalid Events API item`;
  try {
    if (policy.logger) {
      policy.logger.error(
        { source: 'workos', event_id: id, code: error.code, err: { message: error.message } },
        message,
      );
    } else {
      console.error(`[workos-events] ${message} ${label(id, anchor)} (${error.code}): ${error.message}`);
    }
  } catch {
    // Logging is best effort: a broken logger must not stop the iteration.
  }
  return info;
}
