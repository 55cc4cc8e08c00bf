import { concat, isWebStream, type LimitedBody, readWebStream } from './read-web-stream.js';

export type { LimitedBody };

/**
 * Reads a byte stream (a Node request, a web `ReadableStream`, any async iterable) up to `limit + 1` bytes, giving up after
 * `timeoutMs`. Adapters pass the result to `handle`, which answers 413 when the body is over the limit and 408 on a
 * timeout. Runs on any runtime (no `node:` imports). It stops pulling when it returns early; closing the connection (e.g.
 * `Connection: close`) is the caller's job.
 *
 * @example
 * ```ts
 * const { body, error } = await readBodyLimited(req, webhooks.maxBodyBytes, webhooks.bodyTimeoutMs);
 * const res = await webhooks.handle({ method: req.method, headers: req.headers, rawBody: body, bodyError: error });
 * ```
 */
export async function readBodyLimited(
  stream: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>,
  limit: number,
  timeoutMs: number,
): Promise<LimitedBody> {
  if (isNodeReadable(stream)) return readNodeReadable(stream, limit, timeoutMs);
  if (isWebStream(stream)) return readWebStream(stream, limit, timeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const iterator = stream[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const encoder = new TextEncoder();
  try {
    while (size <= limit) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next === 'timeout') {
        return { body: concat(chunks, size), error: 'body_timeout' };
      }
      if (next.done) return { body: concat(chunks, size) };
      const chunk = typeof next.value === 'string' ? encoder.encode(next.value) : next.value;
      chunks.push(chunk);
      size += chunk.byteLength;
    }
    // Over the limit: stop reading, so the rest is never buffered. The iterator is not `return()`ed: on a Node
    // request that would destroy the socket before the 413 is written. The adapter closes the connection instead.
    return { body: concat(chunks, size).subarray(0, limit + 1) };
  } finally {
    clearTimeout(timer);
  }
}

const ignore = () => {};

/** The part of a Node `Readable` (an `IncomingMessage`) the event-based reader uses. */
interface NodeReadableLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  readableEnded?: boolean;
  destroyed?: boolean;
}

function isNodeReadable(stream: unknown): stream is NodeReadableLike {
  const s = stream as Partial<NodeReadableLike>;
  return typeof s.on === 'function' && typeof s.off === 'function' && typeof s.pause === 'function';
}

/**
 * The same contract over Node's `data`/`end` events: several times cheaper per request than the stream's async
 * iterator, which matters on the webhook hot path. Over the limit or on timeout it stops listening and pauses the
 * stream (never destroys it, so the 413/408 can still be written).
 */
function readNodeReadable(stream: NodeReadableLike, limit: number, timeoutMs: number): Promise<LimitedBody> {
  if (stream.readableEnded) return Promise.resolve({ body: new Uint8Array(0) });
  // Destroyed (client gone) before or while reading: 'end' will never come, so fail now, as the stream's async
  // iterator does, instead of waiting out the timeout.
  if (stream.destroyed) return Promise.reject(prematureClose());
  return new Promise<LimitedBody>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    // A body we stop reading may still error (the client resets it): keep a listener so that is not a crash.
    const abandon = () => {
      stop();
      stream.on('error', ignore);
      stream.pause();
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk; // a string: rare
      chunks.push(bytes);
      size += bytes.byteLength;
      if (size > limit) {
        abandon();
        resolve({ body: concat(chunks, size).subarray(0, limit + 1) });
      }
    };
    const onEnd = () => {
      stop();
      resolve({ body: concat(chunks, size) });
    };
    const onError = (error: unknown) => {
      stop();
      reject(error);
    };
    const onClose = () => {
      stop();
      reject(prematureClose());
    };
    const timer = setTimeout(() => {
      abandon();
      resolve({ body: concat(chunks, size), error: 'body_timeout' });
    }, timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.resume();
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('The request body stream closed before it ended'), {
    code: 'ERR_STREAM_PREMATURE_CLOSE',
  });
}
