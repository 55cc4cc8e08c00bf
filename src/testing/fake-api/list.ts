import type { EventLog } from './event-log.js';
import type { FakeWorkOSEvent } from './types.js';

export interface ListAnswer {
  status: number;
  body: unknown;
}

const invalid = (message: string, code: string, field: string): ListAnswer => ({
  status: 422,
  body: { message, errors: [{ code, field }] },
});

function belongsTo(event: FakeWorkOSEvent, organizationId: string): boolean {
  const data = event.data as Record<string, unknown>;
  if (data.organization_id === organizationId) return true;
  if (data.object === 'organization' && data.id === organizationId) return true;
  // Nested objects (e.g. the user and group of dsync.group.user_added) carry the organization too.
  for (const value of Object.values(data)) {
    if (
      value &&
      typeof value === 'object' &&
      (value as { organization_id?: unknown }).organization_id === organizationId
    )
      return true;
  }
  return false;
}

/** `GET /events` semantics over the log, from the query string. */
export function listEvents(log: EventLog, query: URLSearchParams, ignoreEventsFilter: boolean): ListAnswer {
  const types = [...query.getAll('events').flatMap((v) => v.split(',')), ...query.getAll('events[]')]
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (types.length === 0) return invalid('Validation failed: events is required.', 'required', 'events');

  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? 10 : /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) return invalid('limit must be an integer from 1 to 100.', 'invalid', 'limit');

  const order = query.get('order') ?? 'asc';
  if (!['asc', 'desc', 'normal'].includes(order))
    return invalid('order must be asc, desc or normal.', 'invalid', 'order');

  const after = query.get('after');
  const rangeStartText = query.get('range_start');
  const rangeEndText = query.get('range_end');
  if (after !== null && rangeStartText !== null) {
    return invalid('after and range_start cannot be used together.', 'invalid', 'range_start');
  }
  const rangeStart = rangeStartText === null ? undefined : Date.parse(rangeStartText);
  const rangeEnd = rangeEndText === null ? undefined : Date.parse(rangeEndText);
  if (Number.isNaN(rangeStart)) return invalid('range_start must be an ISO-8601 date.', 'invalid', 'range_start');
  if (Number.isNaN(rangeEnd)) return invalid('range_end must be an ISO-8601 date.', 'invalid', 'range_end');
  const organizationId = query.get('organization_id');

  const descending = order === 'desc';
  let index = descending ? log.size - 1 : 0;
  if (after !== null) {
    const position = log.indexOf(after);
    if (position === undefined) return invalid(`No event with id '${after}'.`, 'not_found', 'after');
    index = descending ? position - 1 : position + 1;
  }
  const wanted = new Set(types);
  const data: FakeWorkOSEvent[] = [];
  let more = false;
  for (; index >= 0 && index < log.size; index += descending ? -1 : 1) {
    const event = log.at(index) as FakeWorkOSEvent;
    if (!ignoreEventsFilter && !wanted.has(event.event)) continue;
    if (organizationId !== null && !belongsTo(event, organizationId)) continue;
    if (rangeStart !== undefined || rangeEnd !== undefined) {
      const at = Date.parse(event.created_at);
      if (rangeStart !== undefined && !(at >= rangeStart)) continue;
      if (rangeEnd !== undefined && !(at <= rangeEnd)) continue;
    }
    if (data.length === limit) {
      more = true;
      break;
    }
    data.push(event);
  }
  const last = data[data.length - 1];
  return {
    status: 200,
    body: {
      object: 'list',
      data,
      list_metadata: {
        before: after !== null && data[0] ? data[0].id : null,
        after: more && last ? last.id : null,
      },
    },
  };
}
