import { type EventsQuery, fetchEventsPage, type RawEventsPage } from './client.js';
import type { ResolvedOptions } from './options.js';
import { sleep } from './sleep.js';

/** A raw page plus the id of its last item (the place reached once it is consumed) and the `after` it was asked with. */
export interface SourcePage extends RawEventsPage {
  lastId: string | undefined;
  requestedAfter: string | undefined;
}

export function itemId(item: unknown): string | undefined {
  const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Pages from `GET /events`, starting after `start`, with the next page fetched while the current one is consumed
 * (at most one page ahead). When the list ends it stops, or in poll mode waits `intervalMs` and asks again with
 * `after` = the last item seen. The list ends at `list_metadata.after` null, and also at an empty page or an `after`
 * that points back where we asked from: a server that answers those would otherwise be asked again at once, forever.
 * Closing the generator aborts the prefetch.
 */
export async function* pageSource(o: ResolvedOptions, start: string | undefined): AsyncGenerator<SourcePage> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });

  const query = (after: string | undefined): EventsQuery => ({
    events: o.events,
    organizationId: o.organizationId,
    // `range_start` and `after` are exclusive: the range only applies until we have a place in the list.
    rangeStart: after === undefined ? o.rangeStart : undefined,
    rangeEnd: o.rangeEnd,
    after,
    limit: o.limit,
  });
  const load = (after: string | undefined): Promise<RawEventsPage> => {
    const promise = fetchEventsPage(o.client, query(after), controller.signal);
    promise.catch(() => {}); // a prefetch may fail while nobody awaits it yet; the error surfaces when it is awaited
    return promise;
  };

  let lastSeen = start;
  try {
    let requestedAfter = start;
    let pending = load(requestedAfter);
    for (;;) {
      const page = await pending;
      let lastId: string | undefined;
      for (let i = page.data.length - 1; i >= 0 && lastId === undefined; i--) lastId = itemId(page.data[i]);
      if (lastId !== undefined) lastSeen = lastId;
      const ended = page.after === null || page.data.length === 0 || page.after === requestedAfter;
      const asked = requestedAfter;
      if (!ended) {
        requestedAfter = page.after ?? lastSeen;
        pending = load(requestedAfter);
      }
      yield { ...page, lastId, requestedAfter: asked };
      if (ended) {
        if (!o.poll) return;
        await sleep(o.intervalMs, controller.signal);
        requestedAfter = lastSeen;
        pending = load(requestedAfter);
      }
    }
  } finally {
    controller.abort();
    o.signal?.removeEventListener('abort', onAbort);
  }
}
