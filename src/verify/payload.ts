import { WorkOSWebhookError } from './errors.js';

/**
 * The raw request body as received: a string, or bytes (a Node `Buffer` is a `Uint8Array`).
 *
 * @example
 * ```ts
 * const payload: RawPayload = await request.text(); // or: req.body from express.raw(), await request.arrayBuffer()
 * ```
 */
export type RawPayload = string | Uint8Array | ArrayBuffer;

const RAW_BODY_HELP =
  'Pass the raw request body exactly as received (string, Buffer/Uint8Array or ArrayBuffer); the signature covers ' +
  'those bytes and a re-serialized object will not match. Express: use `express.raw({ type: "application/json" })` ' +
  'on the webhook route (or mount the route before `express.json()`). Fastify: add a content-type parser with ' +
  '`parseAs: "buffer"` or use the workos-events/fastify plugin. Next.js App Router: `await request.text()`; Pages ' +
  'Router: `export const config = { api: { bodyParser: false } }` and read the stream.';

function describe(payload: unknown): string {
  if (payload === null) return 'null';
  if (typeof payload !== 'object') return typeof payload;
  if (typeof (payload as { pipe?: unknown }).pipe === 'function') return 'a stream (the body was not read yet)';
  if (typeof (payload as { getReader?: unknown }).getReader === 'function') return 'a ReadableStream (not read yet)';
  if (Array.isArray(payload)) return 'an array (an already-parsed JSON body)';
  return 'an object (an already-parsed JSON body)';
}

/**
 * Returns the payload as a string or a byte view over the same memory (never a copy, never re-encoded), or throws
 * `payload_not_raw` for anything else (a parsed object, a stream, undefined).
 */
export function rawPayload(payload: unknown): string | Uint8Array {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  // ArrayBuffers from another realm (vm, iframe) fail instanceof.
  const tag = Object.prototype.toString.call(payload);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    return new Uint8Array(payload as ArrayBuffer);
  }
  throw new WorkOSWebhookError(
    'payload_not_raw',
    `The payload is ${describe(payload)}, not the raw body. ${RAW_BODY_HELP}`,
  );
}

const decoder = new TextDecoder();

/**
 * The body as text for `JSON.parse` (UTF-8). A leading BOM is dropped from bytes (TextDecoder) and from strings alike,
 * so the same signed body parses the same whichever form the framework hands over; the HMAC still covers it.
 */
export function payloadText(payload: string | Uint8Array): string {
  if (typeof payload !== 'string') return decoder.decode(payload);
  return payload.charCodeAt(0) === 0xfeff ? payload.slice(1) : payload;
}

/** Parses the verified body; the SyntaxError is dropped because its message quotes the body. */
export function parseJsonBody(payload: string | Uint8Array): unknown {
  try {
    return JSON.parse(payloadText(payload));
  } catch {
    throw new WorkOSWebhookError('invalid_payload', 'The verified body is not valid JSON.');
  }
}
