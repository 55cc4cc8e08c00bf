/** Express 5 and Express 4 (the `express4` alias), real servers over real HTTP. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { workosWebhook } from '../../src/adapters/express.js';
import { createWorkOSWebhookHandler, type WorkOSWebhookHandler } from '../../src/index.js';
import { deferred, makeEvent, RecordingStore, recordingLogger, SECRET, sign } from '../handler/helpers.js';
import { type CorpusServer, describeHostileCorpus } from './hostile-corpus.js';

// `express4` is npm:express@4 (no bundled types); it has the same factory shape for what these tests use.
const express4 = ((await import('express4' as string)) as { default: typeof express5 }).default;
const VERSIONS = [
  ['Express 5', express5],
  ['Express 4', express4],
] as const;

type App = ReturnType<typeof express5>;

async function listen(app: App): Promise<CorpusServer & { url: string }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const servers: CorpusServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(app: App) {
  const s = await listen(app);
  servers.push(s);
  return s;
}

function deliver(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/webhooks/workos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'workos-signature': sign(body), ...headers },
    body,
  });
}

for (const [label, express] of VERSIONS) {
  describeHostileCorpus(label, (webhooks) => {
    const app = express();
    app.post('/webhooks/workos', workosWebhook(webhooks));
    app.all('/webhooks/workos', workosWebhook(webhooks));
    return listen(app);
  });

  describe(`${label}: workosWebhook middleware`, () => {
    function appWith(webhooks: WorkOSWebhookHandler) {
      const app = express();
      app.post('/webhooks/workos', workosWebhook(webhooks));
      app.use(express.json());
      app.post('/api/echo', (req, res) => {
        res.json({ parsed: req.body });
      });
      return app;
    }

    it('verifies and dispatches a signed delivery; other routes keep express.json()', async () => {
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
      const seen: string[] = [];
      webhooks.on('dsync.user.created', (event) => {
        seen.push(event.data.email ?? '');
      });
      const { url } = await serve(appWith(webhooks));
      // Pretty-printed, non-ASCII: only the exact raw bytes verify.
      const body = `${JSON.stringify(makeEvent({ data: { id: 'directory_user_1', email: 'zoë@example.com' } }), null, 2)}\n`;
      const res = await deliver(url, body);
      expect([res.status, await res.json()]).toEqual([200, { status: 'processed' }]);
      expect(seen).toEqual(['zoë@example.com']);
      const echo = await fetch(`${url}/api/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(await echo.json()).toEqual({ parsed: { a: 1 } });
    });

    it('refuses options instead of a handler with a TypeError that shows the fix (a handler built there has no listener)', () => {
      expect(() => workosWebhook({ secret: SECRET } as never)).toThrow(TypeError);
      expect(() => workosWebhook({ secret: SECRET } as never)).toThrow(/workosWebhook\(webhooks\)/);
      expect(() => workosWebhook(undefined as never)).toThrow(/createWorkOSWebhookHandler/);
    });

    it('5 concurrent deliveries of one event over HTTP run the listener once', async () => {
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
      const gate = deferred();
      let runs = 0;
      webhooks.onAny(async () => {
        runs++;
        await gate.promise;
      });
      const { url } = await serve(appWith(webhooks));
      const body = JSON.stringify(makeEvent());
      let answered = 0;
      const all = Array.from({ length: 5 }, () =>
        deliver(url, body).then((r) => {
          answered++;
          return r;
        }),
      );
      // The four losers answer while the winner's listener is still held open.
      while (answered < 4) await new Promise((r) => setTimeout(r, 5));
      gate.resolve();
      const statuses = (await Promise.all(all)).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409]);
      expect(runs).toBe(1);
      expect((await deliver(url, body)).status).toBe(200);
      expect(runs).toBe(1);
    });

    it('a throwing listener → 500, claim released, the retry succeeds', async () => {
      const store = new RecordingStore();
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store }).onAny(() => {});
      let n = 0;
      webhooks.onAny(() => {
        if (++n === 1) throw new Error('first attempt fails');
      });
      const { url } = await serve(appWith(webhooks));
      const body = JSON.stringify(makeEvent());
      const first = await deliver(url, body);
      expect([first.status, await first.json()]).toEqual([500, { status: 'error', code: 'handler_failed' }]);
      expect((await deliver(url, body)).status).toBe(200);
      expect(store.ops()).toEqual(['claim', 'release', 'claim', 'complete']);
    });

    it('inline deadline → 202, then the claim is completed when the listener finishes', async () => {
      const store = new RecordingStore();
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, deadlineMs: 50 }).onAny(() => {});
      const gate = deferred();
      webhooks.onAny(() => gate.promise);
      const { url } = await serve(appWith(webhooks));
      const body = JSON.stringify(makeEvent());
      const res = await deliver(url, body);
      expect([res.status, await res.json()]).toEqual([202, { status: 'accepted' }]);
      gate.resolve();
      await webhooks.drain();
      expect(store.ops()).toEqual(['claim', 'complete']);
    });

    it('background mode with a full queue → 503 queue_full', async () => {
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET, mode: 'background', concurrency: 1, maxQueued: 1 }).onAny(() => {});
      const gate = deferred();
      webhooks.onAny(() => gate.promise);
      const { url } = await serve(appWith(webhooks));
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await deliver(url, JSON.stringify(makeEvent()))).status);
      expect(statuses).toEqual([200, 200, 503]);
      gate.resolve();
      await webhooks.drain();
    });

    it('express.json() mounted first → 500 body_already_parsed at once (no hang), logged with the fix', async () => {
      const logger = recordingLogger();
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET, logger }).onAny(() => {});
      let ran = false;
      webhooks.onAny(() => {
        ran = true;
      });
      const app = express();
      app.use(express.json());
      app.post('/webhooks/workos', workosWebhook(webhooks));
      const { url } = await serve(app);
      const res = await deliver(url, JSON.stringify(makeEvent()), {});
      expect([res.status, await res.json()]).toEqual([500, { status: 'error', code: 'body_already_parsed' }]);
      expect(ran).toBe(false);
      const line = logger.lines.find((l) => l.obj.code === 'body_already_parsed');
      expect(line?.level).toBe('error');
      expect(line?.msg).toContain("express.raw({ type: 'application/json' })");
    });

    it('express.json() mounted first but the request had no JSON content type: the adapter still reads the body', async () => {
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
      const app = express();
      app.use(express.json());
      app.post('/webhooks/workos', workosWebhook(webhooks));
      const { url } = await serve(app);
      const body = JSON.stringify(makeEvent());
      const res = await fetch(`${url}/webhooks/workos`, {
        method: 'POST',
        headers: { 'workos-signature': sign(body) },
        body: new Blob([body]),
      });
      expect(res.status).toBe(200);
    });

    it('a form post eaten by a global express.urlencoded() is a 415, not a logged setup error', async () => {
      const logger = recordingLogger();
      const app = express();
      app.use(express.urlencoded({ extended: false }));
      app.post('/webhooks/workos', workosWebhook(createWorkOSWebhookHandler({ secret: SECRET, logger }).onAny(() => {})));
      const { url } = await serve(app);
      const res = await fetch(`${url}/webhooks/workos`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
      expect([res.status, await res.json()]).toEqual([415, { status: 'error', code: 'unsupported_media_type' }]);
      expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it("uses the Buffer left by express.raw({ type: 'application/json' })", async () => {
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
      const app = express();
      app.post('/webhooks/workos', express.raw({ type: 'application/json' }), workosWebhook(webhooks));
      const { url } = await serve(app);
      expect((await deliver(url, JSON.stringify(makeEvent()))).status).toBe(200);
    });

    it('uses req.rawBody captured by express.json({ verify })', async () => {
      const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
      const app = express();
      app.use(
        express.json({
          verify: (req, _res, buf) => {
            (req as unknown as { rawBody: Buffer }).rawBody = buf;
          },
        }),
      );
      app.post('/webhooks/workos', workosWebhook(webhooks));
      const { url } = await serve(app);
      expect((await deliver(url, `${JSON.stringify(makeEvent(), null, 1)}`)).status).toBe(200);
    });

    it('IP allowlist over HTTP: the socket address counts, X-Forwarded-For only with trustProxy', async () => {
      const strict = createWorkOSWebhookHandler({ secret: SECRET, allowedIps: true }).onAny(() => {});
      const proxied = createWorkOSWebhookHandler({ secret: SECRET, allowedIps: true, trustProxy: 1 }).onAny(() => {});
      const a = await serve(appWith(strict));
      const b = await serve(appWith(proxied));
      const xff = { 'x-forwarded-for': '3.217.146.166' };
      expect((await deliver(a.url, JSON.stringify(makeEvent()), xff)).status).toBe(403);
      expect((await deliver(b.url, JSON.stringify(makeEvent()), xff)).status).toBe(200);
      expect(
        (await deliver(b.url, JSON.stringify(makeEvent()), { 'x-forwarded-for': '3.217.146.166, 127.0.0.1' })).status,
      ).toBe(403);
    });
  });
}
