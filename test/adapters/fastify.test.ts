/** Fastify 5: the encapsulated plugin, real server over real HTTP. */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { workosWebhookPlugin } from '../../src/adapters/fastify.js';
import { createWorkOSWebhookHandler, type WorkOSWebhookHandler } from '../../src/index.js';
import { deferred, makeEvent, RecordingStore, recordingLogger, SECRET, sign } from '../handler/helpers.js';
import { type CorpusServer, describeHostileCorpus } from './hostile-corpus.js';

async function start(app: FastifyInstance): Promise<CorpusServer & { url: string }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

const running: CorpusServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** An app with the plugin and two ordinary JSON routes, one at the root and one inside a sibling plugin. */
async function appWith(handler: WorkOSWebhookHandler, path?: string) {
  const app = Fastify();
  app.post('/api/echo', async (request) => ({ parsed: request.body }));
  await app.register(workosWebhookPlugin, { handler, ...(path ? { path } : {}) });
  await app.register(async (child) => {
    child.post('/api/child-echo', async (request) => ({ parsed: request.body }));
  });
  const server = await start(app);
  running.push(server);
  return server;
}

function deliver(url: string, body: string, path = '/webhooks/workos', headers: Record<string, string> = {}) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'workos-signature': sign(body), ...headers },
    body,
  });
}

describeHostileCorpus('Fastify 5', async (webhooks) => {
  const app = Fastify();
  await app.register(workosWebhookPlugin, { handler: webhooks, path: '/webhooks/workos' });
  return start(app);
});

describe('Fastify 5: workosWebhookPlugin', () => {
  it('verifies the exact raw bytes (pretty, non-ASCII) and dispatches', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    const emails: string[] = [];
    webhooks.on('dsync.user.created', (event) => {
      emails.push(event.data.email ?? '');
    });
    const { url } = await appWith(webhooks);
    const body = `${JSON.stringify(makeEvent({ data: { id: 'directory_user_1', email: 'zoë@example.com' } }), null, 2)}\n`;
    const res = await deliver(url, body);
    expect([res.status, await res.json()]).toEqual([200, { status: 'processed' }]);
    expect(emails).toEqual(['zoë@example.com']);
  });

  it('the raw-body parser stays in the plugin scope: other routes keep Fastify JSON parsing', async () => {
    const { url } = await appWith(createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {}));
    for (const path of ['/api/echo', '/api/child-echo']) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":[1]}',
      });
      expect(await res.json()).toEqual({ parsed: { a: [1] } });
      // And Fastify still refuses what it has no parser for outside the plugin.
      const xml = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<a/>',
      });
      expect(xml.status).toBe(415);
      expect(((await xml.json()) as { code: string }).code).toBe('FST_ERR_CTP_INVALID_MEDIA_TYPE');
    }
  });

  it('takes handler options and a custom path; the route answers 405 to other methods', async () => {
    const { url } = await appWith(createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {}), '/hooks/workos');
    expect((await deliver(url, JSON.stringify(makeEvent()), '/hooks/workos')).status).toBe(200);
    const get = await fetch(`${url}/hooks/workos`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await deliver(url, JSON.stringify(makeEvent()))).status).toBe(404);
  });

  it('works under a prefix', async () => {
    const app = Fastify();
    await app.register(workosWebhookPlugin, {
      prefix: '/v1',
      handler: createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {}),
    });
    const server = await start(app);
    running.push(server);
    expect((await deliver(server.url, JSON.stringify(makeEvent()), '/v1/webhooks/workos')).status).toBe(200);
  });

  it('5 concurrent deliveries of one event run the listener once', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    const gate = deferred();
    let runs = 0;
    webhooks.onAny(async () => {
      runs++;
      await gate.promise;
    });
    const { url } = await appWith(webhooks);
    const body = JSON.stringify(makeEvent());
    let answered = 0;
    const all = Array.from({ length: 5 }, () =>
      deliver(url, body).then((r) => {
        answered++;
        return r;
      }),
    );
    while (answered < 4) await new Promise((r) => setTimeout(r, 5));
    gate.resolve();
    expect((await Promise.all(all)).map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(runs).toBe(1);
  });

  it('a throwing listener → 500 and the retry succeeds; inline deadline → 202; full queue → 503', async () => {
    const store = new RecordingStore();
    const failing = createWorkOSWebhookHandler({ secret: SECRET, store }).onAny(() => {});
    let n = 0;
    failing.onAny(() => {
      if (++n === 1) throw new Error('once');
    });
    const a = await appWith(failing);
    const body = JSON.stringify(makeEvent());
    expect((await deliver(a.url, body)).status).toBe(500);
    expect((await deliver(a.url, body)).status).toBe(200);
    expect(store.ops()).toEqual(['claim', 'release', 'claim', 'complete']);

    const slow = createWorkOSWebhookHandler({ secret: SECRET, deadlineMs: 30 }).onAny(() => {});
    const gate = deferred();
    slow.onAny(() => gate.promise);
    const b = await appWith(slow);
    expect((await deliver(b.url, JSON.stringify(makeEvent()))).status).toBe(202);
    gate.resolve();
    await slow.drain();

    const queued = createWorkOSWebhookHandler({ secret: SECRET, mode: 'background', concurrency: 1, maxQueued: 0 }).onAny(() => {});
    const hold = deferred();
    queued.onAny(() => hold.promise);
    const c = await appWith(queued);
    expect((await deliver(c.url, JSON.stringify(makeEvent()))).status).toBe(200);
    const full = await deliver(c.url, JSON.stringify(makeEvent()));
    expect([full.status, await full.json()]).toEqual([503, { status: 'error', code: 'queue_full' }]);
    hold.resolve();
    await queued.drain();
  });

  it('hooks see Fastify-refused content types as onRejected unsupported_media_type', async () => {
    const logger = recordingLogger();
    const rejected: string[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      logger,
      hooks: { onRejected: (code) => rejected.push(code) },
    }).onAny(() => {});
    const { url } = await appWith(webhooks);
    const res = await deliver(url, '{}', '/webhooks/workos', { 'content-type': '!!!' });
    expect([res.status, await res.json()]).toEqual([415, { status: 'error', code: 'unsupported_media_type' }]);
    expect(rejected).toEqual(['unsupported_media_type']);
  });

  it('IP allowlist uses the socket address; X-Forwarded-For only with trustProxy', async () => {
    const xff = { 'x-forwarded-for': '3.217.146.166' };
    const strict = await appWith(createWorkOSWebhookHandler({ secret: SECRET, allowedIps: true }).onAny(() => {}));
    expect((await deliver(strict.url, JSON.stringify(makeEvent()), '/webhooks/workos', xff)).status).toBe(403);
    const proxied = await appWith(createWorkOSWebhookHandler({ secret: SECRET, allowedIps: true, trustProxy: 1 }).onAny(() => {}));
    expect((await deliver(proxied.url, JSON.stringify(makeEvent()), '/webhooks/workos', xff)).status).toBe(200);
  });
});
