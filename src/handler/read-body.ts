/**
 * Result of {@link readBodyLimited}.
 *
 * @example
 * ```ts
 * const { body, error }: LimitedBody = await readBodyLimited(req, 1024 * 1024, 10_000);
 * ```
 */
export interface LimitedBody {
  /** The bytes read: at most `limit + 1` (one past the limit means "too large"; reading stopped there). */
  body: Uint8Array;
  /** Set when the body did not finish within `timeoutMs`. */
  error?: 'body_timeout';
}

/**
 * Reads a byte stream (a Node request, a web `ReadableStream`) up to `limit + 1` bytes, giving up after
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
  stream: AsyncIterable<Uint8Array | string>,
  limit: number,
  timeoutMs: number,
): Promise<LimitedBody> {
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

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
