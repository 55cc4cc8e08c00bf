import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { workosPagesHandler, workosRouteHandler } from '../../src/adapters/next.js';
import { createWorkOSWebhookHandler, type WorkOSWebhookHandlerOptions } from '../../src/handler/index.js';
import { MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import { describeHostileCorpus } from './hostile-corpus.js';
import { eventBody, fetchBridge, json, listen, SECRET, signedHeaders } from './web-helpers.js';

function setup(options: WorkOSWebhookHandlerOptions = {}) {
  const store = new MemoryIdempotencyStore();
  const seen: string[] = [];
  const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, ...options }).onAny(() => {});
  webhooks.on('dsync.user.created', (event) => {
    seen.push(event.id);
  });
  return { store, seen, webhooks };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('workosRouteHandler (App Router)', () => {
  const url = 'http://localhost:3000/api/webhooks/workos';

  it('valid → 200 processed, duplicate → 200 duplicate, bad signature → 401, stale → 401', async () => {
    const { webhooks, seen } = setup();
    const POST = workosRouteHandler(webhooks);
    const { id, body } = eventBody({ pretty: true });
    const send = (headers: Record<string, string>) => POST(new Request(url, { method: 'POST', headers, body }));
    const ok = await send(signedHeaders(body));
    expect([ok.status, await json(ok)]).toEqual([200, { status: 'processed' }]);
    const dup = await send(signedHeaders(body));
    expect([dup.status, await json(dup)]).toEqual([200, { status: 'duplicate' }]);
    const bad = await send(signedHeaders(body, { secret: 'whsec_wrong' }));
    expect([bad.status, (await json(bad)).code]).toEqual([401, 'signature_mismatch']);
    const stale = await send(signedHeaders(body, { t: Date.now() - 3_600_000 }));
    expect([stale.status, (await json(stale)).code]).toEqual([401, 'timestamp_too_old']);
    expect(seen).toEqual([id]);
  });

  it("ignores Next's second argument (the route context), which is not a client address", async () => {
    const { webhooks } = setup({ allowedIps: ['203.0.113.7'] });
    const POST = workosRouteHandler(webhooks) as (req: Request, ctx: unknown) => Promise<Response>;
    const { body } = eventBody();
    const res = await POST(new Request(url, { method: 'POST', headers: signedHeaders(body), body }), {
      params: Promise.resolve({}),
    });
    expect(res.status).toBe(403);
  });

  it('refuses options instead of a handler with a TypeError that shows the fix', () => {
    expect(() => workosRouteHandler({ secret: SECRET } as never)).toThrow(/workosRouteHandler\(webhooks\)/);
    expect(() => workosPagesHandler({ secret: SECRET } as never)).toThrow(/workosPagesHandler\(webhooks\)/);
  });
});

/** Sends a raw HTTP request and collects the answer (fetch cannot send a body with a slow, chunked writer). */
function rawPost(
  url: string,
  headers: Record<string, string>,
  write: (req: ReturnType<typeof httpRequest>) => Promise<void>,
  method = 'POST',
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    write(req).catch(reject);
  });
}

describe('workosPagesHandler (Pages Router) on a real HTTP server', () => {
  it('reads the raw stream: valid → 200, duplicate → 200 duplicate, bad → 401, GET → 405', async () => {
    const { webhooks, seen } = setup();
    const server = await listen((req, res) => void workosPagesHandler(webhooks)(req, res));
    try {
      const { id, body } = eventBody({ pretty: true });
      const send = (headers: Record<string, string>) =>
        fetch(`${server.url}/api/webhooks/workos`, { method: 'POST', headers, body });
      const ok = await send(signedHeaders(body));
      expect([ok.status, await ok.json()]).toEqual([200, { status: 'processed' }]);
      expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
      const dup = await send(signedHeaders(body));
      expect([dup.status, await dup.json()]).toEqual([200, { status: 'duplicate' }]);
      const bad = await send(signedHeaders(body, { secret: 'whsec_wrong' }));
      expect([bad.status, await bad.json()]).toEqual([401, { status: 'error', code: 'signature_mismatch' }]);
      const get = await fetch(`${server.url}/api/webhooks/workos`);
      expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
      expect(seen).toEqual([id]);
    } finally {
      await server.close();
    }
  });

  it('assembles a body sent slowly in many chunks', async () => {
    const { webhooks, seen } = setup();
    const server = await listen((req, res) => void workosPagesHandler(webhooks)(req, res));
    try {
      const { id, body } = eventBody({ pretty: true });
      const bytes = Buffer.from(body);
      const res = await rawPost(server.url, signedHeaders(body), async (req) => {
        for (let at = 0; at < bytes.length; at += 97) {
          req.write(bytes.subarray(at, at + 97));
          await new Promise((r) => setTimeout(r, 2));
        }
        req.end();
      });
      expect(res.status).toBe(200);
      expect(seen).toEqual([id]);
    } finally {
      await server.close();
    }
  });

  it('diagnoses a body Next.js already parsed: 500 body_already_parsed, the fix logged, nothing run or stored', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { webhooks, seen, store } = setup();
    const pages = workosPagesHandler(webhooks);
    // What Next's default body parser does: consume the stream and put the parsed JSON on req.body.
    const server = await listen(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      Object.assign(req, { body: JSON.parse(text) as unknown });
      await pages(req, res);
    });
    try {
      const { id, body } = eventBody();
      const res = await fetch(server.url, { method: 'POST', headers: signedHeaders(body), body });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ status: 'error', code: 'body_already_parsed' });
      expect(seen).toEqual([]);
      expect(await store.get(id)).toBeUndefined();
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining('export const config = { api: { bodyParser: false } }'),
      );
    } finally {
      await server.close();
    }
  });

  it('diagnoses a stream consumed by someone else even without req.body', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { webhooks, seen } = setup();
    const pages = workosPagesHandler(webhooks);
    const server = await listen(async (req, res) => {
      for await (const _ of req) {
        // drained by "middleware"
      }
      await pages(req, res);
    });
    try {
      const { body } = eventBody();
      const res = await fetch(server.url, { method: 'POST', headers: signedHeaders(body), body });
      expect([res.status, await res.json()]).toEqual([500, { status: 'error', code: 'body_already_parsed' }]);
      expect(seen).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('uses raw bytes already buffered on req.body (e.g. micro buffer(req))', async () => {
    const { webhooks, seen } = setup();
    const pages = workosPagesHandler(webhooks);
    const server = await listen(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      Object.assign(req, { body: Buffer.concat(chunks) });
      await pages(req, res);
    });
    try {
      const { id, body } = eventBody({ pretty: true });
      const res = await fetch(server.url, { method: 'POST', headers: signedHeaders(body), body });
      expect([res.status, await res.json()]).toEqual([200, { status: 'processed' }]);
      expect(seen).toEqual([id]);
    } finally {
      await server.close();
    }
  });

  it('stops reading past maxBodyBytes: 413 and the connection is closed', async () => {
    const { webhooks, seen } = setup({ maxBodyBytes: 2048 });
    const server = await listen((req, res) => void workosPagesHandler(webhooks)(req, res));
    try {
      const res = await rawPost(server.url, signedHeaders('{}'), async (req) => {
        req.on('error', () => {}); // the server may close while we are still writing
        for (let i = 0; i < 64; i++) req.write(Buffer.alloc(1024, 0x20));
        req.end();
      });
      expect(res.status).toBe(413);
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(res.body)).toEqual({ status: 'error', code: 'payload_too_large' });
      expect(seen).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('gives the socket address to allowedIps', async () => {
    const allowed = setup({ allowedIps: ['127.0.0.1'] });
    const denied = setup({ allowedIps: ['203.0.113.7'] });
    const a = await listen((req, res) => void workosPagesHandler(allowed.webhooks)(req, res));
    const d = await listen((req, res) => void workosPagesHandler(denied.webhooks)(req, res));
    try {
      const { body } = eventBody();
      const ok = await fetch(a.url, { method: 'POST', headers: signedHeaders(body), body });
      expect(ok.status).toBe(200);
      const no = await fetch(d.url, { method: 'POST', headers: signedHeaders(body), body });
      expect([no.status, await no.json()]).toEqual([403, { status: 'error', code: 'ip_not_allowed' }]);
    } finally {
      await a.close();
      await d.close();
    }
  });
});

describeHostileCorpus('Next.js Pages Router handler on node:http', async (webhooks) => {
  const server = await listen((req, res) => void workosPagesHandler(webhooks)(req, res));
  return { port: Number(new URL(server.url).port), close: server.close };
});

describeHostileCorpus('Next.js App Router handler behind a node:http → Request bridge', async (webhooks) => {
  const server = await listen(fetchBridge(workosRouteHandler(webhooks)));
  return { port: Number(new URL(server.url).port), close: server.close };
});
