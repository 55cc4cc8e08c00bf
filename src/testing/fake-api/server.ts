import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventLog } from './event-log.js';
import { FaultPlan } from './faults.js';
import { listEvents } from './list.js';
import type { FakeApiFault, FakeApiRequest, FakeWorkOSApi, FakeWorkOSApiOptions, FakeWorkOSEvent } from './types.js';

/**
 * Starts a fake WorkOS Events API on 127.0.0.1 (random port): `GET /events` with the real semantics (oldest first
 * unless `order=desc`, `after` excludes the cursor event, `limit` 1–100 (default 10), the `events` filter in the
 * comma, repeated-key and `events[]` forms, `range_start`/`range_end` (inclusive), `organization_id`,
 * `list_metadata { before, after }` with `after` null at the end), 401 on a wrong key, 422 on a missing `events`
 * (and on `after` with `range_start`, a bad `limit`, an unknown `after` id), plus fault injection. Every answer
 * carries an `x-request-id`.
 *
 * @example
 * ```ts
 * import { createFakeWorkOSApi, createFakeEventGenerator } from 'workos-events/testing';
 *
 * const api = await createFakeWorkOSApi({
 *   events: { count: 10_000, generate: createFakeEventGenerator() },
 *   faults: { rate: 0.1, seed: 7 },
 * });
 * const stream = listEvents({ events: ['user.created'], apiKey: api.apiKey, baseUrl: api.url });
 * // … iterate, then:
 * await api.close();
 * ```
 */
export async function createFakeWorkOSApi(options: FakeWorkOSApiOptions = {}): Promise<FakeWorkOSApi> {
  const log = new EventLog(options.events);
  const plan = new FaultPlan(options.faults);
  const apiKey = options.apiKey ?? 'sk_test_fake';
  const latencyMs = Math.max(0, options.latencyMs ?? 0);
  const ignoreEventsFilter = options.ignoreEventsFilter ?? false;
  const requests: FakeApiRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let requestCount = 0;

  const later = (ms: number, res: ServerResponse, fn: () => void): void => {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) fn();
    }, ms);
    timers.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    if (res.destroyed) return;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const index = requestCount++;
    const requestId = `req_fake_${String(index).padStart(6, '0')}`;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorized = req.headers.authorization === `Bearer ${apiKey}`;
    const entry: FakeApiRequest = {
      index,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorized,
      status: 0,
      items: 0,
      at: Date.now(),
    };
    requests.push(entry);
    const headers = { 'x-request-id': requestId };
    const answer = (status: number, body: unknown, items = 0, extra: Record<string, string> = {}): void => {
      entry.status = status;
      entry.items = items;
      send(res, status, typeof body === 'string' ? body : JSON.stringify(body), { ...headers, ...extra });
    };

    if (url.pathname !== '/events' || req.method !== 'GET') {
      answer(404, { message: `Not found: ${req.method} ${url.pathname}` });
      return;
    }
    const fault = plan.next();
    if (fault) entry.fault = fault.type;
    const respond = (): void => {
      if (fault && fault.type !== 'slow') {
        injectFault(fault);
        return;
      }
      if (!authorized) {
        answer(401, { message: 'Unauthorized', code: 'unauthorized' });
        return;
      }
      const result = listEvents(log, url.searchParams, ignoreEventsFilter);
      const items = result.status === 200 ? (result.body as { data: unknown[] }).data.length : 0;
      answer(result.status, result.body, items);
    };
    const injectFault = (f: FakeApiFault): void => {
      switch (f.type) {
        case 'rate_limit': {
          const extra: Record<string, string> = {};
          if (f.retryAfter !== undefined) extra['retry-after'] = String(f.retryAfter);
          if (f.body === 'text') {
            entry.status = 429;
            send(res, 429, 'Ratelimited', { ...headers, ...extra, 'content-type': 'text/plain' });
            return;
          }
          answer(429, { message: 'Too many requests.', code: 'rate_limit_exceeded' }, 0, extra);
          return;
        }
        case 'server_error':
          answer(f.status ?? 500, { message: 'Internal server error.' });
          return;
        case 'reset':
          entry.status = 0;
          req.socket.destroy();
          return;
        case 'truncated': {
          if (!authorized) {
            answer(401, { message: 'Unauthorized', code: 'unauthorized' });
            return;
          }
          const full = JSON.stringify(listEvents(log, url.searchParams, ignoreEventsFilter).body);
          entry.status = 200;
          send(res, 200, full.slice(0, Math.floor(full.length / 2)), headers);
          return;
        }
        case 'slow':
          return;
      }
    };
    later(latencyMs + (fault?.type === 'slow' ? fault.delayMs : 0), res, respond);
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    get size() {
      return log.size;
    },
    requests,
    append(...events: FakeWorkOSEvent[]) {
      for (const event of events) log.append(event);
    },
    injectFaults(...faults: FakeApiFault[]) {
      plan.inject(faults);
    },
    eventAt(index: number) {
      return log.at(index);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
