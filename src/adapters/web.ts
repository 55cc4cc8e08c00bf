/**
 * `workos-events/web`: a Fetch-API (`Request` → `Response`) adapter for Hono, Bun, Deno, Cloudflare Workers and any
 * runtime with web-standard requests. Runs on edge runtimes: no `node:` import.
 * @packageDocumentation
 */
import { requireWebhookHandler, type WorkOSWebhookHandler } from '../handler/index.js';
import { readWebStream } from '../handler/read-web-stream.js';

/**
 * A Fetch-API webhook endpoint. The optional second argument is the client's address for `allowedIps`, when the
 * runtime knows it (a `Request` has no socket). A second argument that is not a string (a Workers `env`, Next's route
 * context) is ignored, so the function can be passed where a runtime calls `fetch(request, somethingElse)`.
 *
 * @example
 * ```ts
 * const endpoint: FetchWebhookHandler = workosFetchHandler(webhooks);
 * const response = await endpoint(request, '203.0.113.7');
 * ```
 */
export type FetchWebhookHandler = (request: Request, clientIp?: string) => Promise<Response>;

/**
 * Turns a WorkOS webhook handler (never options: see `requireWebhookHandler`) into a `(request: Request, clientIp?: string) => Promise<Response>` endpoint.
 * It reads the raw bytes from `request.body` (never a parsed body; at most `maxBodyBytes + 1` are buffered), passes
 * method, headers and the client address to the handler, and answers with its status, headers and small JSON body.
 *
 * @example
 * ```ts
 * import { createWorkOSWebhookHandler } from 'workos-events';
 * import { workosFetchHandler } from 'workos-events/web';
 *
 * const handler = createWorkOSWebhookHandler({ secret: process.env.WORKOS_WEBHOOK_SECRET });
 * handler.on('user.created', async (event) => saveUser(event.data));
 * const webhooks = workosFetchHandler(handler);
 *
 * // Hono
 * app.post('/webhooks/workos', (c) => webhooks(c.req.raw));
 * // Bun: pass the socket address so `allowedIps` can check it
 * Bun.serve({ fetch: (req, server) => webhooks(req, server.requestIP(req)?.address) });
 * // Deno
 * Deno.serve((req, info) => webhooks(req, info.remoteAddr.hostname));
 * // Cloudflare Workers (the address is in `CF-Connecting-IP`)
 * export default { fetch: (req: Request) => webhooks(req, req.headers.get('cf-connecting-ip') ?? undefined) };
 * ```
 */
export function workosFetchHandler(webhooks: WorkOSWebhookHandler): FetchWebhookHandler {
  const handler = requireWebhookHandler(webhooks, 'workosFetchHandler');
  return (request, clientIp) =>
    handleFetchRequest(handler, request, typeof clientIp === 'string' ? clientIp : undefined);
}

/** Runs one Fetch-API request through `handler`. */
async function handleFetchRequest(
  handler: WorkOSWebhookHandler,
  request: Request,
  ip: string | undefined,
): Promise<Response> {
  // Only a POST carries a webhook; for anything else the handler answers 405 without the body being read.
  // A declared length over the limit is refused (413) without waiting for bytes that may never come.
  const read =
    request.method === 'POST' && request.body && !(Number(request.headers.get('content-length')) > handler.maxBodyBytes)
      ? await readWebStream(request.body, handler.maxBodyBytes, handler.bodyTimeoutMs)
      : undefined;
  const result = await handler.handle({
    method: request.method,
    headers: request.headers,
    rawBody: read?.body,
    ip,
    bodyError: read?.error,
  });
  return new Response(result.body === '' ? null : result.body, { status: result.status, headers: result.headers });
}
