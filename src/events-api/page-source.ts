import { type EventsQuery, fetchEventsPage, type RawEventsPage } from './client.js';
import type { ResolvedOptions } from './options.js';
import { sleep } from './sleep.js';

/** A raw page plus the id of its last item (the place reached once it is consumed). */
export interface SourcePage extends RawEventsPage {
  lastId: string | undefined;
}

export function itemId(item: unknown): string | undefined {
  const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Pages from `GET /events`, starting after `start`, with the next page fetched while the current one is consumed
 * (at most one page ahead). When the list ends (`list_metadata.after` null) it stops, or in poll mode waits
 * `intervalMs` and asks again with `after` = the last item seen. Closing the generator aborts the prefetch.
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
    let pending = load(start);
    for (;;) {
      const page = await pending;
      let lastId: string | undefined;
      for (let i = page.data.length - 1; i >= 0 && lastId === undefined; i--) lastId = itemId(page.data[i]);
      if (lastId !== undefined) lastSeen = lastId;
      const ended = page.after === null;
      if (!ended) pending = load(page.after ?? lastSeen);
      yield { ...page, lastId };
      if (ended) {
        if (!o.poll) return;
        await sleep(o.intervalMs, controller.signal);
        pending = load(lastSeen);
      }
    }
  } finally {
    controller.abort();
    o.signal?.removeEventListener('abort', onAbort);
  }
}
