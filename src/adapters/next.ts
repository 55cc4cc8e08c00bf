/**
 * `workos-events/next`: Next.js adapters. `workosRouteHandler` for the App Router (Node.js and edge runtimes) and
 * `workosPagesHandler` for the Pages Router (`bodyParser: false`).
 * @packageDocumentation
 */
import type { NextApiRequest } from 'next';
import {
  type LimitedBody,
  readBodyLimited,
  requireWebhookHandler,
  type WebhookBodyError,
  type WorkOSWebhookHandler,
} from '../handler/index.js';
import { workosFetchHandler } from './web.js';

/**
 * The parts of a Pages Router request the adapter uses (a `NextApiRequest` or a plain `http.IncomingMessage`).
 *
 * @example
 * ```ts
 * const pages = workosPagesHandler(webhooks);
 * http.createServer((req, res) => void pages(req, res)); // plain Node objects fit too
 * ```
 */
export type PagesApiRequest = Pick<NextApiRequest, 'method' | 'headers' | 'socket' | 'readableEnded'> & {
  body?: unknown;
} & AsyncIterable<Uint8Array | string>;

/**
 * The parts of a Pages Router response the adapter uses (a `NextApiResponse` or a plain `http.ServerResponse`).
 *
 * @example
 * ```ts
 * export default function route(req: NextApiRequest, res: NextApiResponse) {
 *   return workosPagesHandler(webhooks)(req, res);
 * }
 * ```
 */
export interface PagesApiResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

const PARSED_BODY_FIX =
  'workos-events: Next.js parsed this request body before the webhook adapter could read the raw bytes, so the ' +
  'signature cannot be checked. Add `export const config = { api: { bodyParser: false } };` to this API route.';

/**
 * App Router route handler: `export const POST = workosRouteHandler(...)`. Reads the raw bytes from the
 * request stream (at most `maxBodyBytes + 1`). Works on the Node.js and edge runtimes (the package's `edge-light` build verifies with
 * WebCrypto). A `Request` has no socket, so the client IP for `allowedIps` comes from proxy headers per `trustProxy`.
 *
 * @example
 * ```ts
 * // app/api/webhooks/workos/route.ts
 * import { createWorkOSWebhookHandler } from 'workos-events';
 * import { workosRouteHandler } from 'workos-events/next';
 *
 * const webhooks = createWorkOSWebhookHandler({ secret: process.env.WORKOS_WEBHOOK_SECRET });
 * webhooks.on('dsync.user.created', async (event) => {
 *   await db.users.upsert(event.data);
 * });
 *
 * export const POST = workosRouteHandler(webhooks);
 * // export const runtime = 'edge'; // also works on the edge runtime
 * ```
 */
export function workosRouteHandler(webhooks: WorkOSWebhookHandler): (request: Request) => Promise<Response> {
  const endpoint = workosFetchHandler(requireWebhookHandler(webhooks, 'workosRouteHandler'));
  // One parameter on purpose: Next passes `{ params }` second, which is not a client address.
  return (request) => endpoint(request);
}

/**
 * Pages Router API route: `export default workosPagesHandler(...)` together with
 * `export const config = { api: { bodyParser: false } }`, so the adapter can read the raw request stream. If Next.js
 * parsed the body anyway, the handler answers 500 `body_already_parsed` (so WorkOS retries
 * once you fix it) and the fix is logged with `console.error`, instead of failing every signature.
 *
 * @example
 * ```ts
 * // pages/api/webhooks/workos.ts
 * import { workosPagesHandler } from 'workos-events/next';
 * import { webhooks } from '../../../lib/webhooks';
 *
 * export const config = { api: { bodyParser: false } };
 * export default workosPagesHandler(webhooks);
 * ```
 */
export function workosPagesHandler(
  webhooks: WorkOSWebhookHandler,
): (req: PagesApiRequest, res: PagesApiResponse) => Promise<void> {
  const handler = requireWebhookHandler(webhooks, 'workosPagesHandler');
  return async (req, res) => {
    const method = req.method ?? 'GET';
    let read: LimitedBody | undefined;
    let bodyError: WebhookBodyError | undefined;
    if (req.body instanceof Uint8Array) {
      read = { body: req.body }; // raw bytes someone already buffered (e.g. with `micro`'s `buffer(req)`)
    } else if (method === 'POST' && !(Number(req.headers['content-length']) > handler.maxBodyBytes)) {
      if (req.body !== undefined || req.readableEnded) {
        // Never re-stringify a parsed body: it would not be the signed bytes. Say how to fix the route instead.
        console.error(PARSED_BODY_FIX);
        bodyError = 'body_already_parsed';
      } else {
        read = await readBodyLimited(req, handler.maxBodyBytes, handler.bodyTimeoutMs);
        bodyError = read.error;
      }
    }
    const result = await handler.handle({
      method,
      headers: req.headers,
      rawBody: read?.body,
      ip: req.socket?.remoteAddress,
      ...(bodyError ? { bodyError } : {}),
    });
    res.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
    res.end(result.body);
  };
}
