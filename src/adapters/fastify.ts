/**
 * Fastify adapter (tested with Fastify 5): `app.register(workosWebhookPlugin, { handler: webhooks, path: '/webhooks/workos' })`.
 * @packageDocumentation
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  type LimitedBody,
  readBodyLimited,
  requireWebhookHandler,
  type WorkOSWebhookHandler,
} from '../handler/index.js';

/**
 * Options of {@link workosWebhookPlugin}.
 *
 * @example
 * ```ts
 * const opts: WorkOSWebhookPluginOptions = { handler: webhooks, path: '/hooks/workos' };
 * await app.register(workosWebhookPlugin, opts);
 * ```
 */
export interface WorkOSWebhookPluginOptions {
  /** The handler from `createWorkOSWebhookHandler` (options are refused: the listeners live on the handler). */
  handler: WorkOSWebhookHandler;
  /** Route path inside the plugin's prefix. Default `/webhooks/workos`. */
  path?: string;
}

/**
 * An encapsulated Fastify plugin with one webhook route. In its own scope only, it replaces Fastify's body parsers
 * with one that keeps the raw bytes (size limit and timeout from the handler), so the signature is checked over the
 * exact body while the rest of your app keeps Fastify's JSON parsing. Bodies Fastify itself refuses (an unparsable
 * `Content-Type`) are answered by the handler too, so every rejection has the same JSON shape.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createWorkOSWebhookHandler } from 'workos-events';
 * import { workosWebhookPlugin } from 'workos-events/fastify';
 *
 * const webhooks = createWorkOSWebhookHandler();
 * webhooks.on('user.created', async (event) => saveUser(event.data));
 *
 * const app = Fastify();
 * await app.register(workosWebhookPlugin, { handler: webhooks, path: '/webhooks/workos' });
 * ```
 */
export const workosWebhookPlugin: FastifyPluginAsync<WorkOSWebhookPluginOptions> = async (app, opts) => {
  const webhooks = requireWebhookHandler(opts.handler, 'workosWebhookPlugin');
  app.removeAllContentTypeParsers();
  const parser = (req: FastifyRequest, payload: IncomingMessage): Promise<LimitedBody> =>
    // A declared length over the limit is answered 413 without reading a byte.
    Number(req.headers['content-length']) > webhooks.maxBodyBytes
      ? Promise.resolve({ body: new Uint8Array(0) })
      : readBodyLimited(payload, webhooks.maxBodyBytes, webhooks.bodyTimeoutMs);
  // application/json by name too: Fastify finds a named parser at once, the catch-all only after a search.
  app.addContentTypeParser('application/json', parser);
  app.addContentTypeParser('*', parser);

  const respond = (request: FastifyRequest, reply: FastifyReply, body: LimitedBody | undefined) =>
    webhooks
      .handle({
        method: request.raw.method ?? 'GET',
        headers: request.headers,
        rawBody: body?.body,
        bodyError: body?.error,
        ip: request.raw.socket.remoteAddress,
      })
      .then((res) => reply.code(res.status).headers(res.headers).send(res.body));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Fastify refuses an unparsable Content-Type before any parser runs: let the handler answer it (415 + hooks).
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return respond(request, reply, undefined);
    throw error;
  });
  app.all(opts.path ?? '/webhooks/workos', (request, reply) =>
    respond(request, reply, request.body as LimitedBody | undefined),
  );
};
