/**
 * What every edge runtime must do with the recipes of docs/edge.md, written once and run by workerd.test.ts and
 * edge-runtime.test.ts: the app runs inside the runtime; the test signs (node:crypto, independently of the library)
 * and sends deliveries from Node.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { verifyWorkOSSignatureSync } from '../../src/verify/index.js';
import { eventBody, SECRET, sign } from '../adapters/web-helpers.js';

export { SECRET };

/** A test's handle on an app running inside an edge runtime. */
export interface EdgeApp {
  /** Sends a request to the app (`path` on its origin) and returns status and body text. */
  request(path: string, init: { headers?: Record<string, string>; body: string }): Promise<EdgeReply>;
  /** Whether the app's listener stored the event with this id. */
  stored(id: string): Promise<boolean>;
}

export interface EdgeReply {
  status: number;
  body: string;
}

/** The Worker's compatibility date, in docs/edge.md's wrangler.jsonc too; no compatibility flags. */
export const COMPATIBILITY_DATE = '2026-07-01';

/** The recipes, and the directory the test harnesses resolve their imports from. */
export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

const post = (app: EdgeApp, route: string, body: string, signature: string) =>
  app.request(route, { headers: { 'content-type': 'application/json', 'workos-signature': signature }, body });

const parsed = (reply: EdgeReply): unknown => JSON.parse(reply.body);

/** Registers the shared cases; `app()` is read when a test runs (after the suite's beforeAll started it). */
export function edgeRuntimeCases(app: () => EdgeApp, route: string): void {
  it('accepts a signed delivery: 200 processed and the listener ran; a redelivery is a duplicate', async () => {
    const { id, body } = eventBody({ pretty: true }); // whitespace + non-ASCII: only the exact bytes verify
    const reply = await post(app(), route, body, sign(body));
    expect(reply.status, reply.body).toBe(200);
    expect(parsed(reply)).toEqual({ status: 'processed' });
    expect(await app().stored(id)).toBe(true);
    const again = await post(app(), route, body, sign(body));
    expect(again.status).toBe(200);
    expect(parsed(again)).toEqual({ status: 'duplicate' });
  });

  it('refuses a forged delivery (signed with another secret): 401 signature_mismatch, listener not run', async () => {
    const { id, body } = eventBody();
    const reply = await post(app(), route, body, sign(body, { secret: 'whsec_attacker' }));
    expect(reply.status).toBe(401);
    expect(parsed(reply)).toEqual({ status: 'error', code: 'signature_mismatch' });
    expect(await app().stored(id)).toBe(false);
  });

  it('refuses a correctly signed but stale delivery (10 minutes old): 401 timestamp_too_old', async () => {
    const { id, body } = eventBody();
    const reply = await post(app(), route, body, sign(body, { t: Date.now() - 10 * 60_000 }));
    expect(reply.status).toBe(401);
    expect(parsed(reply)).toEqual({ status: 'error', code: 'timestamp_too_old' });
    expect(await app().stored(id)).toBe(false);
  });

  it('a signature made inside the runtime (signWorkOSWebhookAsync, WebCrypto) verifies in Node and is accepted', async () => {
    const { id, body } = eventBody({ pretty: true });
    const signed = await app().request('/__sign', { body });
    expect(signed.status).toBe(200);
    const signature = signed.body;
    expect(signature).toMatch(/^t=\d+, v1=[0-9a-f]{64}$/);
    // node:crypto agrees with the runtime's WebCrypto HMAC over the same bytes.
    expect(verifyWorkOSSignatureSync({ payload: body, signature, secret: SECRET }).secretIndex).toBe(0);
    const reply = await post(app(), route, body, signature);
    expect(reply.status, reply.body).toBe(200);
    expect(await app().stored(id)).toBe(true);
  });

  it('the verifier itself: verifyWorkOSWebhook accepts, verifyWorkOSWebhookSync answers sync_unavailable', async () => {
    const { id, body } = eventBody();
    const headers = { 'workos-signature': sign(body) };
    expect(parsed(await app().request('/__verify', { headers, body }))).toEqual({ id });
    expect(parsed(await app().request('/__verify-sync', { headers, body }))).toEqual({ code: 'sync_unavailable' });
    const forged = { 'workos-signature': sign(body, { secret: 'whsec_attacker' }) };
    expect(parsed(await app().request('/__verify', { headers: forged, body }))).toEqual({ code: 'signature_mismatch' });
  });
}
