/**
 * What the hot-path work (issue 13) must not change: the inline deadline timer is set only when a listener returns a
 * promise, synchronous listeners still run in order and report failures, `ctx` keeps `signal` as an own property,
 * listener lists follow registrations, and every answer has its own headers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkOSWebhookHandler, type HandlerContext } from '../../src/index.js';
import { bodyOf, deferred, makeEvent, RecordingStore, SECRET, signedRequest, sleep } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The delays of the timers `fn` sets while it runs. */
async function timersSetBy(fn: () => Promise<unknown>): Promise<number[]> {
  const spy = vi.spyOn(globalThis, 'setTimeout');
  try {
    await fn();
    return spy.mock.calls.map((call) => Number(call[1]));
  } finally {
    spy.mockRestore();
  }
}

describe('inline deadline timer', () => {
  it('sets no timer when every listener is synchronous, and still answers 200 processed', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, deadlineMs: 4_000 });
    const seen: string[] = [];
    webhooks.onAny(() => {
      seen.push('any');
    });
    const request = signedRequest(makeEvent());
    let status = 0;
    const delays = await timersSetBy(async () => {
      const res = await webhooks.handle(request);
      status = res.status;
      expect(bodyOf(res)).toEqual({ status: 'processed' });
    });
    expect(status).toBe(200);
    expect(seen).toEqual(['any']);
    expect(delays.filter((ms) => ms > 1_000)).toEqual([]);
  });

  it('sets one timer for what is left of deadlineMs once a listener returns a promise', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, deadlineMs: 4_000 });
    webhooks.onAny(async () => {});
    const delays = await timersSetBy(() => webhooks.handle(signedRequest(makeEvent())));
    const deadline = delays.filter((ms) => ms > 1_000);
    expect(deadline).toHaveLength(1);
    expect(deadline[0]).toBeLessThanOrEqual(4_000);
    expect(deadline[0]).toBeGreaterThan(3_000);
  });

  it('a synchronous listener before a slow asynchronous one: the 202 still comes at the deadline', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, deadlineMs: 20 });
    const gate = deferred();
    const order: string[] = [];
    webhooks.on('dsync.user.created', () => {
      order.push('sync');
    });
    webhooks.onAny(async () => {
      order.push('async');
      await gate.promise;
    });
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect([res.status, bodyOf(res)]).toEqual([202, { status: 'accepted' }]);
    expect(order).toEqual(['sync', 'async']);
    gate.resolve();
    await webhooks.drain();
    expect(store.ops()).toEqual(['claim', 'complete']);
  });

  it('a synchronous listener that throws answers 500 and releases the claim, without any timer', async () => {
    const store = new RecordingStore();
    const onError = vi.fn();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, deadlineMs: 4_000 });
    const second = vi.fn();
    webhooks.onAny(() => {
      throw new Error('sync failure');
    });
    webhooks.onAny(second);
    webhooks.onError(onError);
    let status = 0;
    const delays = await timersSetBy(async () => {
      status = (await webhooks.handle(signedRequest(makeEvent()))).status;
    });
    expect(status).toBe(500);
    expect(second).not.toHaveBeenCalled();
    expect(onError).toHaveBeenCalledOnce();
    expect(store.ops()).toEqual(['claim', 'release']);
    expect(delays.filter((ms) => ms > 1_000)).toEqual([]);
  });

  it('a listener whose return value has a throwing `then` getter fails like a throwing listener (onError runs)', async () => {
    const store = new RecordingStore();
    const onError = vi.fn();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store });
    webhooks.onAny(
      () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: the point of the test is a thenable whose `then` throws
          get then() {
            throw new Error('then getter');
          },
        }) as unknown as void,
    );
    webhooks.onError(onError);
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect(res.status).toBe(500);
    expect(onError).toHaveBeenCalledOnce();
    expect(store.ops()).toEqual(['claim', 'release']);
  });

  it('an asynchronous onError listener is under the deadline too (202, then the failure is retried in process)', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, deadlineMs: 10, retry: { backoffMs: 1 } });
    let calls = 0;
    webhooks.onAny(() => {
      calls++;
      if (calls === 1) throw new Error('first attempt fails');
    });
    webhooks.onError(() => sleep(40));
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect(res.status).toBe(202);
    await webhooks.drain();
    expect(calls).toBe(2);
    expect(store.ops()).toEqual(['claim', 'complete']);
  });
});

describe('listener context', () => {
  it('keeps signal an own enumerable property: a spread copy still has the AbortSignal', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    let copy: Partial<HandlerContext> = {};
    webhooks.onAny((_event, ctx) => {
      copy = { ...ctx };
    });
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
    expect(Object.keys(copy).sort()).toEqual(['attempt', 'deadline', 'logger', 'receivedAt', 'signal', 'source']);
    expect(copy.signal).toBeInstanceOf(AbortSignal);
    expect(copy.signal?.aborted).toBe(false);
  });

  it('aborts the signal of a run that a drain gives up on', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, mode: 'background' });
    let signal: AbortSignal | undefined;
    const started = deferred();
    webhooks.onAny(async (_event, ctx) => {
      signal = ctx.signal;
      started.resolve();
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    });
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
    await started.promise;
    const result = await webhooks.drain({ timeoutMs: 10 });
    expect(result.drained).toBe(false);
    expect(signal?.aborted).toBe(true);
  });
});

describe('listener lists', () => {
  it('follow registrations made after the first delivery (the per-type list is rebuilt)', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    const calls: string[] = [];
    webhooks.on('dsync.user.created', () => {
      calls.push('named');
    });
    await webhooks.handle(signedRequest(makeEvent()));
    webhooks.onAny(() => {
      calls.push('any');
    });
    await webhooks.handle(signedRequest(makeEvent()));
    webhooks.on(['dsync.user.created'], () => {
      calls.push('named 2');
    });
    await webhooks.handle(signedRequest(makeEvent()));
    expect(calls).toEqual(['named', 'named', 'any', 'named', 'named 2', 'any']);
  });

  it('a listener added during a delivery runs from the next delivery on', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    const calls: string[] = [];
    let added = false;
    webhooks.onAny(() => {
      calls.push('first');
      if (!added) {
        added = true;
        webhooks.onAny(() => {
          calls.push('late');
        });
      }
    });
    await webhooks.handle(signedRequest(makeEvent()));
    await webhooks.handle(signedRequest(makeEvent()));
    expect(calls).toEqual(['first', 'first', 'late']);
  });

  it('an event type nobody listens to is still ignored once other types are cached', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    webhooks.on('user.created', () => {});
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect(bodyOf(res)).toEqual({ status: 'ignored' });
  });
});

describe('answers', () => {
  it('every answer has its own headers object (a connection: close on one does not leak into the next)', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, maxBodyBytes: 10 });
    webhooks.onAny(() => {});
    const tooLarge = await webhooks.handle(signedRequest(makeEvent()));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.connection).toBe('close');
    const ok = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    const first = await ok.handle(signedRequest(makeEvent()));
    first.headers.connection = 'close';
    const second = await ok.handle(signedRequest(makeEvent()));
    expect(second.headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    expect(bodyOf(second)).toEqual({ status: 'processed' });
    expect(first.headers).not.toBe(second.headers);
  });

  it('error answers keep their exact JSON shape', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    const res = await webhooks.handle({ method: 'GET', headers: {}, rawBody: null });
    expect([res.status, res.body, res.headers.allow]).toEqual([
      405,
      '{"status":"error","code":"method_not_allowed"}',
      'POST',
    ]);
  });
});
