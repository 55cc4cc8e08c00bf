import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import { eventBody, NOW, SECRET } from './fixtures.js';

describe('public API of the root entry (Node build: node:crypto)', () => {
  it('exports the verifier, the signer and the error', () => {
    for (const name of [
      'verifyWorkOSWebhook',
      'verifyWorkOSWebhookSync',
      'verifyWorkOSSignature',
      'verifyWorkOSSignatureSync',
      'signWorkOSWebhook',
      'signWorkOSWebhookAsync',
      'WorkOSWebhookError',
      'isWorkOSWebhookError',
    ]) {
      expect(typeof (root as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(root.DEFAULT_TOLERANCE_MS).toBe(300_000);
    expect(testing.signWorkOSWebhook).toBe(root.signWorkOSWebhook);
  });

  it('sync and async agree, and the signer produces "t=<ms>, v1=<hex>"', async () => {
    const signature = root.signWorkOSWebhook({ payload: eventBody, secret: SECRET, timestamp: NOW });
    expect(signature).toMatch(/^t=\d{13}, v1=[0-9a-f]{64}$/);
    expect(await root.signWorkOSWebhookAsync({ payload: eventBody, secret: SECRET, timestamp: NOW })).toBe(signature);
    const input = { payload: Buffer.from(eventBody), signature, secret: SECRET, now: () => NOW };
    expect(root.verifyWorkOSSignatureSync(input)).toEqual({ timestamp: NOW, secretIndex: 0 });
    expect(await root.verifyWorkOSSignature(input)).toEqual({ timestamp: NOW, secretIndex: 0 });
    const event = root.verifyWorkOSWebhookSync(input);
    expect(await root.verifyWorkOSWebhook(input)).toEqual(event);
    expect(event.id).toBe('event_01JD8N3X4Y5Z6A7B8C9D0EFGHJ');
  });

  it('signWorkOSWebhook defaults t to now and rejects bad timestamps and secrets', () => {
    const before = Date.now();
    const t = Number(/^t=(\d+),/.exec(root.signWorkOSWebhook({ payload: '{}', secret: SECRET }))![1]);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
    expect(() => root.signWorkOSWebhook({ payload: '{}', secret: SECRET, timestamp: 1.5 })).toThrow(TypeError);
    expect(() => root.signWorkOSWebhook({ payload: '{}', secret: '' })).toThrow(TypeError);
    expect(() => root.signWorkOSWebhook({ payload: {} as string, secret: SECRET })).toThrow(/raw body/);
  });

  it('rejections are WorkOSWebhookError instances recognised by isWorkOSWebhookError', async () => {
    const err = await root
      .verifyWorkOSWebhook({ payload: eventBody, signature: 't=1, v1=x', secret: SECRET })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(root.WorkOSWebhookError);
    expect(root.isWorkOSWebhookError(err)).toBe(true);
  });
});
