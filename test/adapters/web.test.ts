import { afterEach, describe, expect, it, vi } from 'vitest';
import { workosFetchHandler } from '../../src/adapters/web.js';
import { createWorkOSWebhookHandler, type WorkOSWebhookHandlerOptions } from '../../src/handler/index.js';
import { MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import { describeHostileCorpus } from './hostile-corpus.js';
import { eventBody, fetchBridge, json, listen, SECRET, sign, signedHeaders } from './web-helpers.js';

const URL = 'https://example.test/webhooks/workos';

function setup(options: WorkOSWebhookHandlerOptions = {}) {
  const store = new MemoryIdempotencyStore();
  const seen: string[] = [];
  const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, ...options }).onAny(() => {});
  webhooks.on('dsync.user.created', (event) => {
    seen.push(event.id);
  });
  return { store, seen, webhooks, endpoint: workosFetchHandler(webhooks) };
}

function post(body: BodyInit, headers: Record<string, string>): Request {
  return new Request(URL, { method: 'POST', headers, body });
}

/** A body stream that records how many bytes the adapter pulled. */
function countingStream(chunk: Uint8Array, chunks: number): { stream: ReadableStream<Uint8Array>; pulled(): number } {
  let sent = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent++ >= chunks) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('workosFetchHandler', () => {
  it('verifies the raw bytes, runs the listener once and answers 200 processed', async () => {
    const { endpoint, seen, store } = setup();
    const { id, body } = eventBody({ pretty: true }); // whitespace + non-ASCII: only the exact bytes verify
    const res = await endpoint(post(body, signedHeaders(body)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json(res)).toEqual({ status: 'processed' });
    expect(seen).toEqual([id]);
    expect((await store.get(id))?.status).toBe('completed');
  });

  it('refuses options instead of a handler with a TypeError that shows the fix', () => {
    expect(() => workosFetchHandler({ secret: SECRET } as never)).toThrow(TypeError);
    expect(() => workosFetchHandler({ secret: SECRET } as never)).toThrow(/workosFetchHandler\(webhooks\)/);
  });

  it('a handler with no listener at all answers 500 no_listeners and completes nothing (WorkOS retries)', async () => {
    const store = new MemoryIdempotencyStore();
    const endpoint = workosFetchHandler(createWorkOSWebhookHandler({ secret: SECRET, store }));
    const { body, id } = eventBody();
    const res = await endpoint(post(body, signedHeaders(body)));
    expect([res.status, await json(res)]).toEqual([500, { status: 'error', code: 'no_listeners' }]);
    expect(await store.get(id)).toBeUndefined();
  });

  it('answers a redelivery 200 duplicate without running the listener again', async () => {
    const { endpoint, seen } = setup();
    const { id, body } = eventBody();
    expect((await endpoint(post(body, signedHeaders(body)))).status).toBe(200);
    const again = await endpoint(post(body, signedHeaders(body)));
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ status: 'duplicate' });
    expect(seen).toEqual([id]);
  });

  it('runs the listener once when the same event arrives 5 times concurrently', async () => {
    const { endpoint, seen } = setup();
    const { id, body } = eventBody();
    const results = await Promise.all(Array.from({ length: 5 }, () => endpoint(post(body, signedHeaders(body)))));
    expect(seen).toEqual([id]);
    for (const res of results) expect([200, 409]).toContain(res.status);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
  });

  it('rejects a bad signature with 401 signature_mismatch, runs nothing and stores nothing', async () => {
    const { endpoint, seen, store } = setup();
    const { id, body } = eventBody();
    const res = await endpoint(post(body, signedHeaders(body, { secret: 'whsec_someone_else' })));
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ status: 'error', code: 'signature_mismatch' });
    expect(seen).toEqual([]);
    expect(await store.get(id)).toBeUndefined();
  });

  it('rejects a stale signature with 401 timestamp_too_old', async () => {
    const { endpoint, seen } = setup();
    const { body } = eventBody();
    const res = await endpoint(post(body, signedHeaders(body, { t: Date.now() - 60 * 60 * 1000 })));
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe('timestamp_too_old');
    expect(seen).toEqual([]);
  });

  it('answers another method 405 with Allow: POST and never reads its body', async () => {
    const { endpoint } = setup();
    const { body } = eventBody();
    const request = new Request(URL, { method: 'PUT', headers: signedHeaders(body), body });
    const res = await endpoint(request);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(request.bodyUsed).toBe(false);
    expect((await endpoint(new Request(URL))).status).toBe(405);
  });

  it('stops reading past maxBodyBytes and answers 413', async () => {
    const { endpoint, seen } = setup({ maxBodyBytes: 1024 });
    const source = countingStream(new Uint8Array(256).fill(0x20), 10_000); // 2.5 MB offered
    const request = new Request(URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'workos-signature': sign('x') },
      body: source.stream,
      duplex: 'half',
    } as RequestInit);
    const res = await endpoint(request);
    expect(res.status).toBe(413);
    expect((await json(res)).code).toBe('payload_too_large');
    expect(source.pulled()).toBeLessThanOrEqual(1024 + 3 * 256); // the limit plus what streams buffer ahead
    expect(seen).toEqual([]);
  });

  it('answers 408 body_timeout when the body stalls', async () => {
    const { endpoint, seen } = setup({ bodyTimeoutMs: 50 });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
      },
    });
    const res = await endpoint(
      new Request(URL, { method: 'POST', headers: signedHeaders('{}'), body: stalled, duplex: 'half' } as RequestInit),
    );
    expect(res.status).toBe(408);
    expect((await json(res)).code).toBe('body_timeout');
    expect(seen).toEqual([]);
  });

  it('a listener that throws gives 500 and releases the claim, so the retry succeeds', async () => {
    const store = new MemoryIdempotencyStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store }).onAny(() => {});
    let fail = true;
    webhooks.on('dsync.user.created', () => {
      if (fail) throw new Error('database down');
    });
    const endpoint = workosFetchHandler(webhooks);
    const { body } = eventBody();
    const first = await endpoint(post(body, signedHeaders(body)));
    expect(first.status).toBe(500);
    expect((await json(first)).code).toBe('handler_failed');
    fail = false;
    const retry = await endpoint(post(body, signedHeaders(body)));
    expect(retry.status).toBe(200);
    expect(await json(retry)).toEqual({ status: 'processed' });
  });

  describe('client address for allowedIps', () => {
    it('uses the second argument when the runtime gives one', async () => {
      const { endpoint } = setup({ allowedIps: ['203.0.113.7'] });
      const a = eventBody();
      expect((await endpoint(post(a.body, signedHeaders(a.body)), '203.0.113.7')).status).toBe(200);
      const b = eventBody();
      const res = await endpoint(post(b.body, signedHeaders(b.body)), '198.51.100.1');
      expect(res.status).toBe(403);
      expect((await json(res)).code).toBe('ip_not_allowed');
    });

    it('ignores a second argument that is not a string (Workers env, Next route context)', async () => {
      const { endpoint } = setup({ allowedIps: ['203.0.113.7'] });
      const call = endpoint as (request: Request, context: unknown) => Promise<Response>;
      const { body } = eventBody();
      const res = await call(post(body, signedHeaders(body)), { ip: '203.0.113.7', params: {} });
      expect(res.status).toBe(403); // no address known → not allowed (fails closed)
    });

    it('takes the address from X-Forwarded-For per trustProxy when there is no socket', async () => {
      const { endpoint } = setup({ allowedIps: ['203.0.113.7'], trustProxy: 1 });
      const a = eventBody();
      const ok = await endpoint(post(a.body, { ...signedHeaders(a.body), 'x-forwarded-for': '10.0.0.1, 203.0.113.7' }));
      expect(ok.status).toBe(200);
      const b = eventBody();
      const spoofed = await endpoint(
        post(b.body, { ...signedHeaders(b.body), 'x-forwarded-for': '203.0.113.7, 198.51.100.1' }),
      );
      expect(spoofed.status).toBe(403);
    });
  });

  describe('over real HTTP (node:http server bridged to Request)', () => {
    it('valid → 200, duplicate → 200 duplicate, tampered → 401, GET → 405', async () => {
      const { endpoint, seen } = setup();
      const server = await listen(fetchBridge(endpoint));
      try {
        const { id, body } = eventBody({ pretty: true });
        const headers = signedHeaders(body);
        const send = (b: string) => fetch(`${server.url}/webhooks`, { method: 'POST', headers, body: b });
        const ok = await send(body);
        expect([ok.status, await ok.json()]).toEqual([200, { status: 'processed' }]);
        const dup = await send(body);
        expect([dup.status, await dup.json()]).toEqual([200, { status: 'duplicate' }]);
        const tampered = await send(body.replace('active', 'inactive'));
        expect([tampered.status, await tampered.json()]).toEqual([
          401,
          { status: 'error', code: 'signature_mismatch' },
        ]);
        const get = await fetch(`${server.url}/webhooks`);
        expect(get.status).toBe(405);
        expect(seen).toEqual([id]);
      } finally {
        await server.close();
      }
    });
  });
});

describeHostileCorpus('web adapter behind a node:http → Request bridge', async (webhooks) => {
  const server = await listen(fetchBridge(workosFetchHandler(webhooks)));
  return { port: Number(new globalThis.URL(server.url).port), close: server.close };
});
