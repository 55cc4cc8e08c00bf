/** Reading a web `ReadableStream` body with a size limit and a timeout: the Fetch and Next.js App Router adapters' path,
 * kept apart from the Node readers so an edge bundle carries only this one. */

/**
 * Result of `readBodyLimited` (from `workos-events/adapter-kit`).
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

export function isWebStream(stream: unknown): stream is ReadableStream<Uint8Array> {
  return typeof (stream as Partial<ReadableStream>).getReader === 'function';
}

/**
 * The same contract over a web `ReadableStream`, read with its own reader: one `read()` per chunk and one timer per
 * body (no async iterator, no race per chunk). Over the limit or on timeout it stops reading without cancelling.
 */
export function readWebStream(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  timeoutMs: number,
): Promise<LimitedBody> {
  const reader = stream.getReader();
  return new Promise<LimitedBody>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let open = true;
    const finish = (result: LimitedBody) => {
      open = false;
      clearTimeout(timer);
      resolve(result);
    };
    const onChunk = (next: ReadableStreamReadResult<Uint8Array | string>): void => {
      if (!open) return;
      if (next.done) {
        finish({ body: concat(chunks, size) });
        return;
      }
      // A chunk that is not bytes (a user-made stream yielding null, say) rejects the read instead of becoming an
      // unhandled rejection inside this callback.
      try {
        const chunk = typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
        chunks.push(chunk);
        size += chunk.byteLength;
      } catch (error) {
        onError(error);
        return;
      }
      if (size > limit) finish({ body: concat(chunks, size).subarray(0, limit + 1) });
      else reader.read().then(onChunk, onError);
    };
    const onError = (error: unknown) => {
      if (!open) return;
      open = false;
      clearTimeout(timer);
      reject(error);
    };
    const timer = setTimeout(() => finish({ body: concat(chunks, size), error: 'body_timeout' }), timeoutMs);
    reader.read().then(onChunk, onError);
  });
}

export function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 0) return new Uint8Array(0);
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
