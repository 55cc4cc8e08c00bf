import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkOSWebhookHandler, type WebhookRequest } from '../../src/index.js';
import { arbitraryWorkOSEvent } from '../../src/testing/fast-check.js';
import { RecordingStore, SECRET, sign } from './helpers.js';

const STATUSES = new Set([400, 401, 403, 405, 408, 413, 415, 500]);

const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constantFrom('t=1, v1=00', `t=${Date.now()}, v1=${'a'.repeat(64)}`, ''),
  fc
    .tuple(
      fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 70 }),
    )
    .map(([t, v]) => `t=${t}, v1=${v}`),
);

const request: fc.Arbitrary<WebhookRequest> = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'post', ''),
  headers: fc.record(
    {
      'workos-signature': headerValue,
      'content-type': fc.constantFrom('application/json', 'text/plain', '', 'application/json; charset=utf-8'),
      'content-length': fc.oneof(fc.nat().map(String), fc.string()),
    },
    { requiredKeys: [] },
  ),
  rawBody: fc.oneof(fc.string(), fc.uint8Array({ maxLength: 300 }), fc.constant(null), fc.constant(undefined)),
  bodyError: fc.constantFrom(undefined, 'body_timeout' as const),
});

describe('handle() under arbitrary input', () => {
  it('never throws, answers an error status with a JSON code, runs no listener and writes nothing', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, maxBodyBytes: 200 });
    let runs = 0;
    webhooks.onAny(() => {
      runs++;
    });
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const res = await webhooks.handle(req);
        expect(STATUSES.has(res.status)).toBe(true);
        const body = JSON.parse(res.body) as { status: string; code: string };
        expect(body.status).toBe('error');
        expect(typeof body.code).toBe('string');
        expect(res.body).not.toContain(SECRET);
      }),
      { numRuns: 500 },
    );
    expect(runs).toBe(0);
    expect(store.calls).toEqual([]);
  });

  it('any generated WorkOS event, signed, is processed once and then a duplicate', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, validate: 'strict' });
    const seen = new Map<string, number>();
    webhooks.onAny((event) => {
      seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
    });
    await fc.assert(
      fc.asyncProperty(arbitraryWorkOSEvent(), async (event) => {
        const body = JSON.stringify(event);
        const req = { method: 'POST', headers: { 'workos-signature': sign(body) }, rawBody: body };
        const first = await webhooks.handle(req);
        const second = await webhooks.handle(req);
        // (Should arbitraries repeat an id across runs, the first delivery is a 200 duplicate: still once.)
        expect(first.status).toBe(200);
        expect(second.body).toBe('{"status":"duplicate"}');
        expect(seen.get(event.id)).toBe(1);
      }),
      { numRuns: 200 },
    );
  });
});
