import { afterEach, describe, expect, it, vi } from 'vitest';
import { isWorkOSWebhookHandler, requireWebhookHandler } from '../../src/adapter-kit.js';
import { createWorkOSWebhookHandler, MemoryIdempotencyStore, WorkOSWebhookConfigError } from '../../src/index.js';
import { makeEvent, SECRET, signedRequest } from './helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('configuration', () => {
  it('no secret and no WORKOS_WEBHOOK_SECRET → WorkOSWebhookConfigError missing_secret, naming the fix', () => {
    vi.stubEnv('WORKOS_WEBHOOK_SECRET', '');
    const attempt = () => createWorkOSWebhookHandler();
    expect(attempt).toThrow(WorkOSWebhookConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as WorkOSWebhookConfigError).code).toBe('missing_secret');
      expect((err as Error).message).toContain('WORKOS_WEBHOOK_SECRET');
    }
    expect(() => createWorkOSWebhookHandler({ secret: [] })).toThrow(/No WorkOS webhook secret/);
  });

  it('reads WORKOS_WEBHOOK_SECRET when no secret is passed', async () => {
    vi.stubEnv('WORKOS_WEBHOOK_SECRET', SECRET);
    const webhooks = createWorkOSWebhookHandler().onAny(() => {});
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
  });

  it('an explicit secret wins over the environment', async () => {
    vi.stubEnv('WORKOS_WEBHOOK_SECRET', 'whsec_env');
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
  });

  it.each([
    [{ secret: ['ok', ''] }, /non-empty/],
    [{ deadlineMs: 0 }, /deadlineMs/],
    [{ maxBodyBytes: -1 }, /maxBodyBytes/],
    [{ mode: 'background' as const, concurrency: 1.5 }, /concurrency/],
    [{ trustProxy: -1 }, /trustProxy/],
    [{ mode: 'sometimes' as 'inline' }, /mode/],
    [{ leaseMs: Number.NaN }, /leaseMs/],
  ])('rejects %o at construction (invalid_option)', (opts, message) => {
    expect(() => createWorkOSWebhookHandler({ secret: SECRET, ...opts })).toThrow(message);
    try {
      createWorkOSWebhookHandler({ secret: SECRET, ...opts });
    } catch (err) {
      expect((err as WorkOSWebhookConfigError).code).toBe('invalid_option');
    }
  });

  it('exposes the store (a MemoryIdempotencyStore by default), the body limit and the body timeout', () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, maxBodyBytes: 2048, bodyTimeoutMs: 500 });
    expect(webhooks.store).toBeInstanceOf(MemoryIdempotencyStore);
    expect([webhooks.maxBodyBytes, webhooks.bodyTimeoutMs]).toEqual([2048, 500]);
    const defaults = createWorkOSWebhookHandler({ secret: SECRET });
    expect([defaults.maxBodyBytes, defaults.bodyTimeoutMs]).toEqual([1024 * 1024, 10_000]);
  });
});

describe('requireWebhookHandler (what every adapter calls)', () => {
  it('returns a handler as is; options or anything else → TypeError showing the two-line fix', () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    expect(requireWebhookHandler(webhooks, 'workosWebhook')).toBe(webhooks);
    for (const input of [{ secret: SECRET }, undefined, null, 'whsec_x']) {
      expect(() => requireWebhookHandler(input, 'workosWebhook')).toThrow(TypeError);
    }
    try {
      requireWebhookHandler({ secret: 'whsec_must_not_leak' }, 'workosWebhook');
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('createWorkOSWebhookHandler({ secret })');
      expect(message).toContain("webhooks.on('user.created'");
      expect(message).toContain('workosWebhook(webhooks)');
      expect(message).not.toContain('whsec_must_not_leak');
    }
    expect(isWorkOSWebhookHandler({ secret: SECRET })).toBe(false);
    expect(isWorkOSWebhookHandler(null)).toBe(false);
  });

  it('recognizes a handler from another copy of the library by its brand', () => {
    const foreign = { [Symbol.for('workos-events.webhook-handler')]: true };
    expect(isWorkOSWebhookHandler(foreign)).toBe(true);
  });
});

describe('listener registration', () => {
  it('throws a TypeError at once for a non-function listener', () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    expect(() => webhooks.on('user.created', undefined as never)).toThrow(TypeError);
    expect(() => webhooks.onAny('nope' as never)).toThrow(/onAny/);
    expect(() => webhooks.onError(null as never)).toThrow(/onError/);
  });
});
