import { describe, expect, it, vi } from 'vitest';
import { createWorkOSWebhookHandler, type WebhookRequest } from '../../src/index.js';
import { bodyOf, makeEvent, RecordingStore, SECRET, sign, signedRequest } from './helpers.js';

function setup(opts: Parameters<typeof createWorkOSWebhookHandler>[0] = {}) {
  const store = new RecordingStore();
  const seen: string[] = [];
  const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, ...opts });
  webhooks.onAny((event) => {
    seen.push(event.id);
  });
  return { webhooks, store, seen };
}

describe('handle: the happy path', () => {
  it('verifies, claims, dispatches and completes: 200 {"status":"processed"}', async () => {
    const { webhooks, store, seen } = setup();
    const event = makeEvent();
    const res = await webhooks.handle(signedRequest(event));
    expect(res.status).toBe(200);
    expect(bodyOf(res)).toEqual({ status: 'processed' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen).toEqual([event.id]);
    expect(store.ops()).toEqual(['claim', 'complete']);
  });

  it('accepts every raw body form: string, Uint8Array, Buffer, ArrayBuffer, and Fetch Headers', async () => {
    const { webhooks, seen } = setup();
    const forms: Array<(s: string) => WebhookRequest['rawBody']> = [
      (s) => s,
      (s) => new TextEncoder().encode(s),
      (s) => Buffer.from(s),
      (s) => new TextEncoder().encode(s).buffer as ArrayBuffer,
    ];
    for (const form of forms) {
      const body = JSON.stringify(makeEvent());
      const headers = new Headers({ 'content-type': 'application/json', 'WorkOS-Signature': sign(body) });
      const res = await webhooks.handle({ method: 'POST', headers, rawBody: form(body) });
      expect(res.status).toBe(200);
    }
    expect(seen).toHaveLength(4);
  });

  it('finds the signature header case-insensitively in a plain record', async () => {
    const { webhooks } = setup();
    const body = JSON.stringify(makeEvent());
    const res = await webhooks.handle({ method: 'post', headers: { 'WorkOS-Signature': sign(body) }, rawBody: body });
    expect(res.status).toBe(200);
  });

  it('runs named listeners, then onUnknown for unknown types, then onAny; handledEventNames lists names', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    const order: string[] = [];
    webhooks
      .on('dsync.user.created', () => {
        order.push('named');
      })
      .on(['user.created', 'user.updated'], () => {
        order.push('array');
      })
      .onUnknown(() => {
        order.push('unknown');
      })
      .onAny(() => {
        order.push('any');
      });
    await webhooks.handle(signedRequest(makeEvent()));
    await webhooks.handle(signedRequest(makeEvent({ event: 'user.updated', data: { id: 'user_1' } })));
    await webhooks.handle(signedRequest(makeEvent({ event: 'brand_new.thing_happened', data: {} })));
    expect(order).toEqual(['named', 'any', 'array', 'any', 'unknown', 'any']);
    expect(webhooks.handledEventNames().sort()).toEqual(['dsync.user.created', 'user.created', 'user.updated']);
  });

  it('completes events of a type nobody listens to as ignored (so a retry is a duplicate, not a re-run)', async () => {
    const store = new RecordingStore();
    const ignored: string[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      hooks: { onIgnored: (e) => ignored.push(e.id), onProcessed: () => ignored.push('processed?!') },
    }).on('user.created', () => {});
    const event = makeEvent();
    const first = await webhooks.handle(signedRequest(event));
    expect([first.status, bodyOf(first)]).toEqual([200, { status: 'ignored' }]);
    expect(bodyOf(await webhooks.handle(signedRequest(event)))).toEqual({ status: 'duplicate' });
    expect(ignored).toEqual([event.id]);
    expect(store.ops()).toEqual(['claim', 'complete', 'claim']);
  });
});

describe('handle: each rejection stage, in order, with no store write and no listener', () => {
  const cases: Array<{ name: string; req: () => WebhookRequest; status: number; code: string; opts?: object }> = [
    {
      name: 'wrong method',
      req: () => ({ ...signedRequest(makeEvent()), method: 'GET' }),
      status: 405,
      code: 'method_not_allowed',
    },
    {
      name: 'IP not allowed (checked before the body)',
      req: () => ({ ...signedRequest(makeEvent()), ip: '10.0.0.1' }),
      status: 403,
      code: 'ip_not_allowed',
      opts: { allowedIps: true },
    },
    {
      name: 'body parsed by a framework',
      req: () => ({ ...signedRequest(makeEvent()), rawBody: null, bodyError: 'body_already_parsed' as const }),
      status: 500,
      code: 'body_already_parsed',
    },
    {
      name: 'body timeout',
      req: () => ({ ...signedRequest(makeEvent()), bodyError: 'body_timeout' as const }),
      status: 408,
      code: 'body_timeout',
    },
    {
      name: 'declared Content-Length over the limit',
      req: () => {
        const r = signedRequest(makeEvent());
        return { ...r, headers: { ...(r.headers as object), 'content-length': '2000' }, rawBody: null };
      },
      status: 413,
      code: 'payload_too_large',
      opts: { maxBodyBytes: 1000 },
    },
    {
      name: 'actual body over the limit (multi-byte UTF-8 counted in bytes)',
      req: () => signedRequest(JSON.stringify(makeEvent({ data: { note: 'é'.repeat(600) } }))),
      status: 413,
      code: 'payload_too_large',
      opts: { maxBodyBytes: 1000 },
    },
    {
      name: 'non-JSON content type',
      req: () => {
        const r = signedRequest(makeEvent());
        return { ...r, headers: { ...(r.headers as object), 'content-type': 'text/plain' } };
      },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'missing signature',
      req: () => ({ method: 'POST', headers: {}, rawBody: JSON.stringify(makeEvent()) }),
      status: 401,
      code: 'missing_signature',
    },
    {
      name: 'wrong secret',
      req: () => {
        const body = JSON.stringify(makeEvent());
        return {
          method: 'POST',
          headers: { 'workos-signature': sign(body, { secret: 'whsec_other' }) },
          rawBody: body,
        };
      },
      status: 401,
      code: 'signature_mismatch',
    },
    {
      name: 'stale timestamp',
      req: () => {
        const body = JSON.stringify(makeEvent());
        return {
          method: 'POST',
          headers: { 'workos-signature': sign(body, { t: Date.now() - 600_000 }) },
          rawBody: body,
        };
      },
      status: 401,
      code: 'timestamp_too_old',
    },
    {
      name: 'signed but not an event',
      req: () => signedRequest('{"hello":"world"}'),
      status: 400,
      code: 'invalid_payload',
    },
    {
      name: 'signed empty body',
      req: () => ({ ...signedRequest(''), rawBody: undefined }),
      status: 400,
      code: 'invalid_payload',
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}`, async () => {
      const onRejected = vi.fn();
      const { webhooks, store, seen } = setup({ ...c.opts, hooks: { onRejected } });
      const res = await webhooks.handle(c.req());
      expect(res.status).toBe(c.status);
      expect(bodyOf(res)).toEqual({ status: 'error', code: c.code });
      expect(res.body).not.toContain(SECRET);
      expect(store.calls).toEqual([]);
      expect(seen).toEqual([]);
      expect(onRejected).toHaveBeenCalledWith(c.code, { source: 'webhook', status: c.status });
    });
  }

  it('405 carries Allow: POST; 413 and 408 close the connection', async () => {
    const { webhooks } = setup({ maxBodyBytes: 10 });
    expect((await webhooks.handle({ method: 'GET', headers: {}, rawBody: null })).headers.allow).toBe('POST');
    const big = await webhooks.handle({ method: 'POST', headers: {}, rawBody: 'x'.repeat(11) });
    expect(big.headers.connection).toBe('close');
  });

  it('an over-limit or timed-out body closes the connection whatever the answer (its unread rest would wedge it)', async () => {
    const { webhooks } = setup({ maxBodyBytes: 10, allowedIps: ['203.0.113.7'] });
    const big = 'x'.repeat(11);
    const textPlain = { 'content-type': 'text/plain' };
    const wrongType = await webhooks.handle({ method: 'POST', headers: textPlain, rawBody: big, ip: '203.0.113.7' });
    expect([wrongType.status, wrongType.headers.connection]).toEqual([415, 'close']);
    const wrongIp = await webhooks.handle({ method: 'POST', headers: {}, rawBody: big, ip: '198.51.100.1' });
    expect([wrongIp.status, wrongIp.headers.connection]).toEqual([403, 'close']);
    const slow = await webhooks.handle({
      method: 'POST',
      headers: textPlain,
      rawBody: 'x',
      bodyError: 'body_timeout',
      ip: '203.0.113.7',
    });
    expect([slow.status, slow.headers.connection]).toEqual([415, 'close']);
    // A body read whole keeps the connection.
    const small = await webhooks.handle({ method: 'POST', headers: textPlain, rawBody: 'x', ip: '203.0.113.7' });
    expect([small.status, small.headers.connection]).toEqual([415, undefined]);
  });

  it('a missing Content-Type is accepted; requireJsonContentType: false accepts any', async () => {
    const body = JSON.stringify(makeEvent());
    const strict = setup();
    expect(
      (await strict.webhooks.handle({ method: 'POST', headers: { 'workos-signature': sign(body) }, rawBody: body }))
        .status,
    ).toBe(200);
    const lax = setup({ requireJsonContentType: false });
    const res = await lax.webhooks.handle(signedRequest(makeEvent(), { headers: { 'content-type': 'text/plain' } }));
    // headers replaced wholesale above: no signature → 401, proving the content type was not what stopped it
    expect(res.status).toBe(401);
    const signed = JSON.stringify(makeEvent());
    const ok = await lax.webhooks.handle({
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'workos-signature': sign(signed) },
      rawBody: signed,
    });
    expect(ok.status).toBe(200);
  });

  it('accepts JSON content types with parameters and +json suffixes', async () => {
    const { webhooks } = setup();
    for (const type of ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.workos+json']) {
      const body = JSON.stringify(makeEvent());
      const res = await webhooks.handle({
        method: 'POST',
        headers: { 'content-type': type, 'workos-signature': sign(body) },
        rawBody: body,
      });
      expect(res.status, type).toBe(200);
    }
  });

  it('passes the parse options through: strict → 400 invalid_event, rejectUnknownEvents → 400 unknown_event', async () => {
    const strict = setup({ validate: 'strict' });
    const bad = await strict.webhooks.handle(signedRequest(makeEvent({ data: { id: 'directory_user_1' } })));
    expect([bad.status, bodyOf(bad).code]).toEqual([400, 'invalid_event']);
    const picky = setup({ rejectUnknownEvents: true });
    const unknown = await picky.webhooks.handle(signedRequest(makeEvent({ event: 'made.up', data: {} })));
    expect([unknown.status, bodyOf(unknown).code]).toEqual([400, 'unknown_event']);
    expect([...strict.store.calls, ...picky.store.calls]).toEqual([]);
  });

  it('rotation: any of several secrets verifies', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: ['whsec_new', SECRET] }).onAny(() => {});
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
  });

  it('never lets a prototype-polluting payload reach Object.prototype', async () => {
    const { webhooks } = setup();
    const body = `{"__proto__":{"polluted":"yes"},"id":"event_proto","event":"user.created","data":{"__proto__":{"x":1}},"created_at":"2026-01-01T00:00:00Z"}`;
    const res = await webhooks.handle(signedRequest(body));
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
