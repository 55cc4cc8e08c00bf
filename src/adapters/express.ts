/**
 * Express 4 and 5 adapter: `app.post('/webhooks/workos', workosWebhook(webhooks))`.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  readBodyLimited,
  requireWebhookHandler,
  type WebhookBodyError,
  type WorkOSWebhookHandler,
} from '../handler/index.js';

/**
 * The request as Express gives it: Node's request plus what body parsers may have attached.
 *
 * @example
 * ```ts
 * app.post('/webhooks/workos', (req: ExpressWebhookRequest, res, next) => middleware(req, res, next));
 * ```
 */
export type ExpressWebhookRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; _body?: unknown };

/**
 * An Express-compatible middleware `(req, res, next)`.
 *
 * @example
 * ```ts
 * const middleware: ExpressWebhookMiddleware = workosWebhook(webhooks);
 * app.post('/webhooks/workos', middleware);
 * ```
 */
export type ExpressWebhookMiddleware = (
  req: ExpressWebhookRequest,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

const isRaw = (v: unknown): v is Uint8Array | string => v instanceof Uint8Array || typeof v === 'string';

/**
 * Express middleware that verifies, deduplicates and dispatches WorkOS webhooks. It reads the raw body itself (with
 * the handler's size limit and timeout), or uses `req.body` when `express.raw()` / `express.text()` left a Buffer or
 * string there, or `req.rawBody` captured by `express.json({ verify })`. If a JSON parser already consumed the body
 * and nothing raw is left, it answers 500 `body_already_parsed` and logs the fix instead of hanging or
 * re-stringifying (which could never match the signature).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createWorkOSWebhookHandler } from 'workos-events';
 * import { workosWebhook } from 'workos-events/express';
 *
 * const webhooks = createWorkOSWebhookHandler();
 * webhooks.on('dsync.user.created', async (event) => saveUser(event.data));
 *
 * const app = express();
 * app.post('/webhooks/workos', workosWebhook(webhooks)); // before app.use(express.json())
 * app.use(express.json());
 * ```
 */
export function workosWebhook(handler: WorkOSWebhookHandler): ExpressWebhookMiddleware {
  const webhooks = requireWebhookHandler(handler, 'workosWebhook');
  const max = webhooks.maxBodyBytes;

  /** Hands the request to the handler and writes its answer. */
  const deliver = (
    req: ExpressWebhookRequest,
    res: ServerResponse,
    next: (err?: unknown) => void,
    raw: Uint8Array | string | undefined,
    bodyError: WebhookBodyError | undefined,
  ): void => {
    webhooks
      .handle({
        method: req.method ?? 'GET',
        headers: req.headers,
        rawBody: raw,
        bodyError,
        ip: req.socket?.remoteAddress,
      })
      .then(({ status, headers, body }) => {
        res.writeHead(status, headers).end(body);
      })
      .catch(next);
  };

  return (req, res, next) => {
    if (isRaw(req.body)) return deliver(req, res, next, req.body, undefined);
    if (isRaw(req.rawBody)) return deliver(req, res, next, req.rawBody, undefined);
    if (req._body === true || req.readableEnded) return deliver(req, res, next, undefined, 'body_already_parsed');
    if (req.method !== 'POST' || Number(req.headers['content-length']) > max) {
      return deliver(req, res, next, undefined, undefined);
    }
    readBodyLimited(req, max, webhooks.bodyTimeoutMs)
      .then(({ body, error }) => deliver(req, res, next, body, error), next)
      .catch(next); // a synchronous throw in deliver (say a socket getter of a gone HTTP/2 stream) reaches Express too
  };
}
