import { parseWorkOSEvent, type WorkOSEvent } from '../events/index.js';
import { loadSchemas, needsSchemas } from '../events/schema-loader.js';
import { IdlessItems } from './idless-items.js';
import { handleInvalidItem, type InvalidEventInfo } from './invalid-event.js';
import type { ListEventsOptions, PollEventsOptions, ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import { itemId, pageSource } from './page-source.js';
import { abortReason } from './sleep.js';

/**
 * One page of events as the consumer sees it: only requested types, parsed and validated.
 *
 * @example
 * ```ts
 * for await (const page of listEvents({ events: ['user.created'] }).pages()) {
 *   await db.insertMany(page.data);
 *   console.log('next place', page.cursor);
 * }
 * ```
 */
export interface EventPage {
  /** The page's events of the requested types, oldest first. May be empty when every item was filtered out. */
  data: WorkOSEvent[];
  /** `list_metadata.after` as sent: null at the end of the list. */
  after: string | null;
  /** Id of the page's last item: the cursor saved once you ask for the next page. */
  cursor: string | undefined;
  /**
   * Items of the page (of requested types) that did not parse and were skipped (`onInvalidEvent` `'skip'` or a
   * function): id, code and message, never values. Empty with `'throw'`, where such an item stops the iteration
   * before its page is yielded.
   */
  invalid: InvalidEventInfo[];
}

/**
 * An iteration over Events API items, oldest first. `for await` yields events; `pages()` yields pages. Each
 * iteration starts from the saved cursor (`cursorStore`), else `after`, else `rangeStart`. The cursor only advances
 * past an event when you ask for the next one, so a crash or an exception re-delivers at most the event in flight.
 *
 * @example
 * ```ts
 * const stream = listEvents({ events: ['dsync.user.created'], cursorStore: new MemoryCursorStore() });
 * for await (const event of stream) await handle(event);
 * console.log('finished at', stream.cursor);
 * ```
 */
export interface EventStream extends AsyncIterable<WorkOSEvent> {
  /** Iterate page by page instead of event by event (one `checkpoint` per page). */
  pages(): AsyncIterable<EventPage>;
  /** Id of the last event (or item) the current or latest iteration has finished with, if any. */
  readonly cursor: string | undefined;
}

export function createEventStream(o: ResolvedOptions): EventStream {
  let current: string | undefined;

  // Tracks the finished place and saves it to the store (once per change).
  async function begin() {
    const stored = o.cursorStore ? await o.cursorStore.load() : undefined;
    const start = stored ?? o.after;
    let saved = start;
    current = start;
    return {
      start,
      finish(id: string): void {
        current = id;
      },
      async save(): Promise<void> {
        if (o.cursorStore && current !== undefined && current !== saved) {
          const cursor = current;
          await o.cursorStore.save(cursor);
          saved = cursor;
        }
      },
    };
  }

  const checkAbort = (): void => {
    if (o.signal?.aborted) throw abortReason(o.signal);
  };

  const wanted = (item: unknown): boolean => {
    const type = item !== null && typeof item === 'object' ? (item as { event?: unknown }).event : undefined;
    // Malformed items are handed to the parser, which raises a clear error for them.
    return typeof type !== 'string' || o.wanted.has(type);
  };

  const parse = (item: unknown): WorkOSEvent =>
    parseWorkOSEvent(item, o.validate === undefined ? {} : { validate: o.validate });

  // Throws for 'throw' (the cursor stays before the item); otherwise logs or calls the hook. `anchor` (the last item
  // with an id) places an item that has none.
  const invalid = (item: unknown, thrown: unknown, id: string | undefined, anchor: string | undefined) =>
    handleInvalidItem(o.invalid, item, thrown, id, anchor);

  async function* events(): AsyncGenerator<WorkOSEvent, void, undefined> {
    checkAbort();
    if (needsSchemas(o.validate)) await loadSchemas();
    const place = await begin();
    try {
      let previous = place.start;
      const idless = new IdlessItems(place.start);
      for await (const page of pageSource(o, place.start)) {
        idless.page(page.requestedAfter);
        for (const item of page.data) {
          const id = itemId(item);
          // The item we asked to start after, should a server include it: already finished.
          if (id !== undefined && id === previous) continue;
          previous = id;
          if (id === undefined) {
            if (idless.repeat()) continue; // served again by a later request: handled already
          } else idless.passed(id);
          if (!wanted(item)) {
            if (id !== undefined) place.finish(id); // not requested: nothing to process, move past it
            continue;
          }
          let event: WorkOSEvent;
          try {
            event = parse(item);
          } catch (thrown) {
            await invalid(item, thrown, id, idless.anchor);
            if (id !== undefined) place.finish(id); // skipped: move past it, as past an unrequested type
            if (o.checkpoint === 'event') await place.save();
            checkAbort();
            continue;
          }
          checkAbort();
          yield event;
          // The consumer asked for the next event: this one is finished.
          if (id !== undefined) place.finish(id);
          if (o.checkpoint === 'event') await place.save();
          checkAbort();
        }
        await place.save();
      }
    } finally {
      await place.save();
    }
  }

  async function* pages(): AsyncGenerator<EventPage, void, undefined> {
    checkAbort();
    const place = await begin();
    try {
      let previous = place.start;
      const idless = new IdlessItems(place.start);
      for await (const page of pageSource(o, place.start)) {
        if (page.data.length === 0) continue;
        idless.page(page.requestedAfter);
        const data: WorkOSEvent[] = [];
        const skipped: InvalidEventInfo[] = [];
        for (const item of page.data) {
          const id = itemId(item);
          if (id !== undefined && id === previous) continue;
          previous = id;
          if (id === undefined) {
            if (idless.repeat()) continue;
          } else idless.passed(id);
          if (!wanted(item)) continue;
          try {
            data.push(parse(item));
          } catch (thrown) {
            skipped.push(await invalid(item, thrown, id, idless.anchor));
          }
        }
        checkAbort();
        yield { data, after: page.after, cursor: page.lastId, invalid: skipped };
        if (page.lastId !== undefined) place.finish(page.lastId);
        await place.save();
        checkAbort();
      }
    } finally {
      await place.save();
    }
  }

  return {
    [Symbol.asyncIterator]: () => events(),
    pages: () => ({ [Symbol.asyncIterator]: () => pages() }),
    get cursor() {
      return current;
    },
  };
}

/**
 * Lists Events API items oldest first, page after page, until the end of the list. `for await` over the result
 * yields typed events; `.pages()` yields pages. The next page is fetched while you work on the current one.
 * Options are checked at the call (a `TypeError`/`RangeError` for a mistake); HTTP failures raise
 * {@link WorkOSApiError} after the retry policy. An item that does not parse stops the iteration with a
 * `WorkOSWebhookError` naming its id, the cursor before it (`onInvalidEvent: 'throw'`, the default here); pass
 * `'skip'` or a function to go on past it.
 *
 * @example
 * ```ts
 * import { FileCursorStore, listEvents } from 'workos-events';
 *
 * for await (const event of listEvents({
 *   events: ['dsync.user.created', 'dsync.user.deleted'],
 *   rangeStart: '2026-01-01T00:00:00Z',
 *   cursorStore: new FileCursorStore('./workos.cursor'),
 * })) {
 *   if (event.event === 'dsync.user.created') await addUser(event.data);
 * }
 * ```
 */
export function listEvents(options: ListEventsOptions): EventStream {
  return createEventStream(resolveOptions('listEvents', options, false));
}

/**
 * Tails the Events API: lists everything like {@link listEvents}, then keeps asking for newer events every
 * `intervalMs` (default 5 s) with `after` = the last event seen. Never ends; stop it with `signal` (the iterator then
 * throws the signal's reason) or `break`. Transient failures are retried without limit by default, and an item
 * that does not parse is skipped and logged (`onInvalidEvent: 'skip'`, the default here) so it never blocks the tail.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once('SIGTERM', () => controller.abort());
 * try {
 *   for await (const event of pollEvents({
 *     events: ['user.created'],
 *     cursorStore: new FileCursorStore('./workos.cursor'),
 *     signal: controller.signal,
 *   })) {
 *     await handle(event);
 *   }
 * } catch (err) {
 *   if (!controller.signal.aborted) throw err;
 * }
 * ```
 */
export function pollEvents(options: PollEventsOptions): EventStream {
  return createEventStream(resolveOptions('pollEvents', options, true));
}
