import { describe, expect, it, vi } from 'vitest';
import { createWorkOSWebhookHandler, MemoryIdempotencyStore, WorkOSHandlerError } from '../../src/index.js';
import { bodyOf, deferred, makeEvent, RecordingStore, SECRET, signedRequest } from './helpers.js';

describe('deduplication through the store', () => {
  it('the same event delivered 5 times concurrently runs its listener once', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store });
    const gate = deferred();
    let runs = 0;
    webhooks.on('dsync.user.created', async () => {
      runs++;
      await gate.promise;
    });
    const event = makeEvent();
    const pending = Array.from({ length: 5 }, () => webhooks.handle(signedRequest(event)));
    // The four losers answer at once (409: a live claim exists), while the winner is still running.
    const early = await Promise.all(pending.slice(1));
    expect(early.map((r) => [r.status, bodyOf(r)])).toEqual(
      Array.from({ length: 4 }, () => [409, { status: 'error', code: 'in_progress' }]),
    );
    gate.resolve();
    const winner = await pending[0]!;
    expect(winner.status).toBe(200);
    expect(runs).toBe(1);
    // After completion, further deliveries are duplicates (200, so WorkOS stops retrying).
    const again = await Promise.all(Array.from({ length: 5 }, () => webhooks.handle(signedRequest(event))));
    expect(again.map((r) => [r.status, r.body])).toEqual(
      Array.from({ length: 5 }, () => [200, '{"status":"duplicate"}']),
    );
    expect(runs).toBe(1);
    expect(store.calls.filter((c) => c.op === 'complete')).toHaveLength(1);
  });

  it('a listener that throws → 500 handler_failed, claim released, the retry runs it and succeeds', async () => {
    const store = new RecordingStore();
    const onFailed = vi.fn();
    const onError = vi.fn();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, hooks: { onFailed } });
    let attempts = 0;
    webhooks.on('dsync.user.created', () => {
      attempts++;
      if (attempts === 1) throw new Error('database unavailable');
    });
    webhooks.onError(onError);
    const event = makeEvent();
    const first = await webhooks.handle(signedRequest(event));
    expect(first.status).toBe(500);
    expect(bodyOf(first)).toEqual({ status: 'error', code: 'handler_failed' });
    expect(first.body).not.toContain('database unavailable');
    expect(store.ops()).toEqual(['claim', 'release']);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'database unavailable' }),
      expect.objectContaining({ id: event.id }),
      expect.objectContaining({ source: 'webhook' }),
    );
    expect(onFailed).toHaveBeenCalledOnce();
    const retry = await webhooks.handle(signedRequest(event));
    expect(retry.status).toBe(200);
    expect(attempts).toBe(2);
    expect(store.ops()).toEqual(['claim', 'release', 'claim', 'complete']);
  });

  it('stops at the first throwing listener (later ones run on the retry)', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    const ran: string[] = [];
    webhooks.on('dsync.user.created', () => {
      ran.push('a');
      throw new Error('x');
    });
    webhooks.onAny(() => {
      ran.push('any');
    });
    await webhooks.handle(signedRequest(makeEvent()));
    expect(ran).toEqual(['a']);
  });

  it('a throwing onError listener does not change the outcome', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    webhooks.onAny(() => {
      throw new Error('x');
    });
    webhooks.onError(() => {
      throw new Error('onError broke');
    });
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(500);
  });

  it('a store outage at claim → 503 store_unavailable, no listener runs; process() reports failed', async () => {
    const store = new RecordingStore();
    store.failClaim = true;
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store });
    const listener = vi.fn();
    webhooks.onAny(listener);
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect([res.status, bodyOf(res).code, res.headers['retry-after']]).toEqual([503, 'store_unavailable', '30']);
    const result = await webhooks.process(makeEvent() as never);
    expect(result.outcome).toBe('failed');
    expect(result.error).toBeInstanceOf(WorkOSHandlerError);
    expect((result.error as WorkOSHandlerError).code).toBe('store_unavailable');
    expect(((result.error as Error).cause as Error).message).toBe('store down');
    expect(listener).not.toHaveBeenCalled();
  });

  it('a lease that ran out before completion is logged (complete returns false), the answer is still 200', async () => {
    const inner = new MemoryIdempotencyStore();
    const lines: string[] = [];
    const log = (_o: object, m?: string) => {
      lines.push(m ?? '');
    };
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store: {
        claim: (k, o) => inner.claim(k, o),
        complete: async () => false,
        release: (k, t) => inner.release(k, t),
      },
      logger: { info: log, warn: log, error: log, debug: log },
    }).onAny(() => {});
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
    expect(lines.some((l) => l.includes('lease'))).toBe(true);
  });
});

describe('process(): the Events API path shares claims with webhooks', () => {
  it('an event processed from the API is a duplicate when the webhook arrives, and vice versa', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store });
    const seen: string[] = [];
    webhooks.onAny((e, ctx) => {
      seen.push(`${e.id}:${ctx.source}`);
    });
    const a = makeEvent();
    expect(await webhooks.process(a as never, { source: 'api' })).toMatchObject({ outcome: 'processed' });
    expect(bodyOf(await webhooks.handle(signedRequest(a)))).toEqual({ status: 'duplicate' });
    const b = makeEvent();
    expect((await webhooks.handle(signedRequest(b))).status).toBe(200);
    expect((await webhooks.process(b as never)).outcome).toBe('duplicate');
    expect(seen).toEqual([`${a.id}:api`, `${b.id}:webhook`]);
  });

  it('process() returns failed with the error (never throws) and releases, in_progress while held', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    const gate = deferred();
    webhooks.onAny(async () => {
      await gate.promise;
      throw new Error('boom');
    });
    const event = makeEvent();
    const running = webhooks.process(event as never);
    await new Promise((r) => setTimeout(r, 5));
    expect((await webhooks.process(event as never)).outcome).toBe('in_progress');
    gate.resolve();
    const result = await running;
    expect(result.outcome).toBe('failed');
    expect((result.error as Error).message).toBe('boom');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });
});
