import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIp, normalizeIp } from '../../src/handler/client-ip.js';
import { createWorkOSWebhookHandler, WORKOS_WEBHOOK_IPS } from '../../src/index.js';
import { bodyOf, makeEvent, RecordingStore, SECRET, signedRequest } from './helpers.js';

const WORKOS_IP = '3.217.146.166';

function handler(opts: Parameters<typeof createWorkOSWebhookHandler>[0]) {
  const store = new RecordingStore();
  return { store, webhooks: createWorkOSWebhookHandler({ secret: SECRET, store, ...opts }).onAny(() => {}) };
}

function from(ip: string | undefined, xff?: string) {
  const req = signedRequest(makeEvent());
  return {
    ...req,
    ...(ip ? { ip } : {}),
    headers: { ...(req.headers as object), ...(xff ? { 'x-forwarded-for': xff } : {}) },
  };
}

describe('IP allowlist', () => {
  it('the default list is the 9 documented WorkOS addresses', () => {
    expect(WORKOS_WEBHOOK_IPS).toEqual([
      '3.217.146.166',
      '23.21.184.92',
      '34.204.154.149',
      '44.213.245.178',
      '44.215.236.82',
      '50.16.203.9',
      '52.1.251.34',
      '52.21.49.187',
      '174.129.36.47',
    ]);
    expect(Object.isFrozen(WORKOS_WEBHOOK_IPS)).toBe(true);
  });

  it('is off by default: any address is accepted', async () => {
    const { webhooks } = handler({});
    expect((await webhooks.handle(from('10.9.8.7'))).status).toBe(200);
  });

  it('allowedIps: true accepts WorkOS addresses (also IPv4-mapped IPv6) and refuses others with 403', async () => {
    const { webhooks, store } = handler({ allowedIps: true });
    for (const ip of WORKOS_WEBHOOK_IPS) expect((await webhooks.handle(from(ip))).status).toBe(200);
    expect((await webhooks.handle(from(`::ffff:${WORKOS_IP}`))).status).toBe(200);
    const before = store.calls.length;
    const res = await webhooks.handle(from('8.8.8.8'));
    expect([res.status, bodyOf(res).code]).toEqual([403, 'ip_not_allowed']);
    expect((await webhooks.handle(from(undefined))).status).toBe(403);
    expect(store.calls.length).toBe(before);
  });

  it('a custom list replaces the default', async () => {
    const { webhooks } = handler({ allowedIps: ['10.0.0.5', '2001:DB8::1'] });
    expect((await webhooks.handle(from('10.0.0.5'))).status).toBe(200);
    expect((await webhooks.handle(from('2001:db8::1'))).status).toBe(200);
    expect((await webhooks.handle(from(WORKOS_IP))).status).toBe(403);
  });

  it('without trustProxy, X-Forwarded-For is ignored (it is client-controlled)', async () => {
    const { webhooks } = handler({ allowedIps: true });
    expect((await webhooks.handle(from('8.8.8.8', WORKOS_IP))).status).toBe(403);
    expect((await webhooks.handle(from(WORKOS_IP, '8.8.8.8'))).status).toBe(200);
  });

  it('trustProxy: 1 takes the address the one trusted proxy appended (right-most), not a spoofed left-most one', async () => {
    const { webhooks } = handler({ allowedIps: true, trustProxy: 1 });
    expect((await webhooks.handle(from('10.0.0.1', WORKOS_IP))).status).toBe(200);
    // An attacker prepends a WorkOS address; the proxy appends the real one.
    expect((await webhooks.handle(from('10.0.0.1', `${WORKOS_IP}, 8.8.8.8`))).status).toBe(403);
    // No header: the socket address counts.
    expect((await webhooks.handle(from('10.0.0.1'))).status).toBe(403);
  });

  it('trustProxy: 2 takes the second from the right; true takes the left-most', async () => {
    const two = handler({ allowedIps: true, trustProxy: 2 }).webhooks;
    expect((await two.handle(from('10.0.0.1', `1.1.1.1, ${WORKOS_IP}, 10.0.0.2`))).status).toBe(200);
    const all = handler({ allowedIps: true, trustProxy: true }).webhooks;
    expect((await all.handle(from('10.0.0.1', `${WORKOS_IP}, 10.0.0.2`))).status).toBe(200);
  });
});

describe('clientIp / normalizeIp', () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));

  it('trusting n proxies picks the n-th hop from the right whatever the client prepends', () => {
    fc.assert(
      fc.property(fc.array(ipv4, { maxLength: 5 }), fc.array(ipv4, { minLength: 1, maxLength: 5 }), (spoofed, real) => {
        const header = [...spoofed, ...real].join(', ');
        expect(clientIp('127.0.0.1', header, real.length)).toBe(real[0]);
      }),
    );
  });

  it('never throws and falls back to the socket address on empty headers', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.boolean(), fc.nat(5)), (header, trust) => {
        const ip = clientIp('127.0.0.1', header, trust);
        expect(typeof ip).toBe('string');
      }),
    );
    expect(clientIp('127.0.0.1', ' , ,', 1)).toBe('127.0.0.1');
    expect(clientIp('127.0.0.1', '1.2.3.4', 3)).toBe('1.2.3.4');
  });

  it('normalizes case, brackets and IPv4-mapped IPv6', () => {
    expect(normalizeIp(' ::FFFF:1.2.3.4 ')).toBe('1.2.3.4');
    expect(normalizeIp('[2001:DB8::1]')).toBe('2001:db8::1');
    fc.assert(fc.property(ipv4, (ip) => normalizeIp(`::ffff:${ip}`) === ip));
  });
});
