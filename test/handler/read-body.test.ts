import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBodyLimited } from '../../src/adapter-kit.js';

async function* chunks(parts: Array<Uint8Array | string>, delayMs = 0) {
  for (const p of parts) {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    yield p;
  }
}

describe('readBodyLimited', () => {
  it('concatenates any chunking of a body up to the limit, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 10 }), async (parts) => {
        const total = parts.reduce((n, p) => n + p.byteLength, 0);
        const { body, error } = await readBodyLimited(chunks(parts), 1000, 1000);
        expect(error).toBeUndefined();
        expect(Buffer.from(body)).toEqual(Buffer.concat(parts.map((p) => Buffer.from(p))));
        expect(body.byteLength).toBe(total);
      }),
    );
  });

  it('stops at limit + 1 bytes and does not pull further chunks', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(10);
      }
    }
    const { body, error } = await readBodyLimited(endless(), 25, 1000);
    expect(error).toBeUndefined();
    expect(body.byteLength).toBe(26);
    expect(pulled).toBe(3);
  });

  it('encodes string chunks as UTF-8', async () => {
    const { body } = await readBodyLimited(chunks(['é', '{}']), 100, 1000);
    expect(Buffer.from(body).toString('utf8')).toBe('é{}');
    expect(body.byteLength).toBe(4);
  });

  it('gives up with body_timeout when the stream stalls', async () => {
    async function* stalled() {
      yield new Uint8Array([1]);
      await new Promise(() => {});
    }
    const { body, error } = await readBodyLimited(stalled(), 100, 30);
    expect(error).toBe('body_timeout');
    expect(body.byteLength).toBe(1);
  });

  it('a slow stream that finishes in time is read whole', async () => {
    const { body, error } = await readBodyLimited(chunks(['a', 'b', 'c'], 5), 100, 1000);
    expect([Buffer.from(body).toString(), error]).toEqual(['abc', undefined]);
  });
});

describe('readBodyLimited over a Node Readable (the event-based path adapters use)', () => {
  it('concatenates any chunking of a body up to the limit, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 50 }), { maxLength: 10 }), async (parts) => {
        const { body, error } = await readBodyLimited(Readable.from(parts.map((p) => Buffer.from(p))), 1000, 1000);
        expect(error).toBeUndefined();
        expect(Buffer.from(body)).toEqual(Buffer.concat(parts.map((p) => Buffer.from(p))));
      }),
    );
  });

  it('stops at limit + 1 bytes, pauses the stream and survives a later stream error', async () => {
    const stream = new PassThrough();
    const read = readBodyLimited(stream, 25, 1000);
    for (let i = 0; i < 3; i++) stream.write(new Uint8Array(10));
    const { body, error } = await read;
    expect(error).toBeUndefined();
    expect(body.byteLength).toBe(26);
    expect(stream.isPaused()).toBe(true);
    // The client resetting the abandoned body must not become an unhandled 'error' event.
    stream.destroy(new Error('ECONNRESET'));
    await new Promise((r) => setImmediate(r));
    expect(stream.destroyed).toBe(true);
  });

  it('gives up with body_timeout when the stream stalls, keeping what arrived', async () => {
    const stream = new PassThrough();
    stream.write(new Uint8Array([1]));
    const { body, error } = await readBodyLimited(stream, 100, 30);
    expect(error).toBe('body_timeout');
    expect(body.byteLength).toBe(1);
  });

  it('answers an already-ended stream with an empty body instead of waiting for an end that never comes', async () => {
    const stream = Readable.from([Buffer.from('x')]);
    for await (const _ of stream) {
      // consume it, as a body parser would have
    }
    const { body, error } = await readBodyLimited(stream, 100, 5_000);
    expect([body.byteLength, error]).toEqual([0, undefined]);
  });

  it('rejects at once for a stream destroyed before reading (client gone), instead of waiting out the timeout', async () => {
    const stream = new PassThrough();
    stream.destroy();
    await new Promise((r) => setImmediate(r));
    const started = Date.now();
    await expect(readBodyLimited(stream, 100, 5_000)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects at once when the stream is destroyed without an error while reading', async () => {
    const stream = new PassThrough();
    stream.write(new Uint8Array([1]));
    const started = Date.now();
    const read = readBodyLimited(stream, 100, 5_000);
    setTimeout(() => stream.destroy(), 10);
    await expect(read).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects with the stream error while reading', async () => {
    const stream = new PassThrough();
    const read = readBodyLimited(stream, 100, 1000);
    stream.destroy(new Error('boom'));
    await expect(read).rejects.toThrow('boom');
  });
});

describe('readBodyLimited over a web ReadableStream (the reader the Fetch and Next adapters use)', () => {
  /** A byte stream that hands out `parts` one pull at a time and counts the pulls. */
  function webStream(parts: Array<Uint8Array | string>, opts: { stallAfter?: number; failAfter?: number } = {}) {
    let pulls = 0;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        const i = pulls - 1;
        if (opts.failAfter !== undefined && i === opts.failAfter) return controller.error(new Error('reset'));
        if (opts.stallAfter !== undefined && i >= opts.stallAfter) return new Promise<void>(() => {});
        const part = parts[i];
        if (part === undefined) return controller.close();
        controller.enqueue(typeof part === 'string' ? encoder.encode(part) : part);
      },
    });
    return { stream, pulls: () => pulls };
  }

  it('reads every chunk in order', async () => {
    const { stream } = webStream(['{"a":', '1}']);
    const { body, error } = await readBodyLimited(stream, 1000, 1000);
    expect(error).toBeUndefined();
    expect(new TextDecoder().decode(body)).toBe('{"a":1}');
  });

  it('stops at limit + 1 bytes and pulls no further chunk', async () => {
    const { stream, pulls } = webStream(['0123456789', '0123456789', '0123456789', 'never read', 'never read']);
    const { body, error } = await readBodyLimited(stream, 25, 1000);
    expect(error).toBeUndefined();
    expect(body.byteLength).toBe(26);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pulls()).toBeLessThanOrEqual(4); // the stream may pre-pull one chunk (its high-water mark), no more
  });

  it('answers body_timeout with what arrived when the stream stalls', async () => {
    const { stream } = webStream(['{"partial":'], { stallAfter: 1 });
    const { body, error } = await readBodyLimited(stream, 100, 30);
    expect(error).toBe('body_timeout');
    expect(new TextDecoder().decode(body)).toBe('{"partial":');
  });

  it('rejects when the stream errors', async () => {
    const { stream } = webStream(['{"a":'], { failAfter: 1 });
    await expect(readBodyLimited(stream, 100, 1000)).rejects.toThrow('reset');
  });

  it('an empty stream is an empty body', async () => {
    const { stream } = webStream([]);
    const { body, error } = await readBodyLimited(stream, 100, 1000);
    expect([body.byteLength, error]).toEqual([0, undefined]);
  });
  it('a chunk that is not bytes (null from a hand-made stream) rejects the read, not the process', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(null as unknown as Uint8Array);
          controller.close();
        },
      });
      await expect(readBodyLimited(stream, 100, 5_000)).rejects.toThrow(TypeError);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
