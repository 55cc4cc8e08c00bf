/**
 * The delivery contract: no listener → no acknowledgement; acknowledged work is retried, then reported as needing
 * reconcile; drain counts every delivery from the moment it enters; every timer option is bounded.
 * Most of these failed on the handler before this contract (see CHANGELOG, Unreleased).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  createWorkOSWebhookHandler,
  type FailureInfo,
  MemoryIdempotencyStore,
  type WorkOSEvent,
  WorkOSHandlerError,
  WorkOSWebhookConfigError,
} from '../../src/index.js';
import type { ClaimOptions } from '../../src/idempotency/types.js';
import { bodyOf, deferred, makeEvent, RecordingStore, SECRET, signedRequest, sleep } from './helpers.js';

function recordingLogger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ level, obj, msg: msg ?? '' });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

describe('no listener, no acknowledgement', () => {
  it('a handler with no listener at all answers 500 no_listeners, completes nothing, and logs it once', async () => {
    const store = new RecordingStore();
    const logger = recordingLogger();
    const rejected: string[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      logger,
      hooks: { onRejected: (code) => rejected.push(code) },
    });
    const event = makeEvent();
    for (let i = 0; i < 3; i++) {
      const res = await webhooks.handle(signedRequest(event));
      expect([res.status, bodyOf(res)]).toEqual([500, { status: 'error', code: 'no_listeners' }]);
    }
    expect(store.calls).toEqual([]); // nothing claimed, so nothing completed: WorkOS's retries and reconcile still see it
    expect(await store.inner.get(event.id)).toBeUndefined();
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toContain('webhooks.on(');
    expect(errors[0]!.obj).toMatchObject({ code: 'no_listeners', event_id: event.id });
    expect(rejected).toEqual(['no_listeners', 'no_listeners', 'no_listeners']);
  });

  it('process() on a handler with no listener fails with WorkOSHandlerError no_listeners, nothing completed', async () => {
    const store = new MemoryIdempotencyStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store });
    const event = makeEvent();
    const result = await webhooks.process(event as never);
    expect(result.outcome).toBe('failed');
    expect(result.error).toBeInstanceOf(WorkOSHandlerError);
    expect((result.error as WorkOSHandlerError).code).toBe('no_listeners');
    expect(await store.get(event.id)).toBeUndefined();
  });

  it('onError alone is not a listener', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onError(() => {});
    expect(bodyOf(await webhooks.handle(signedRequest(makeEvent()))).code).toBe('no_listeners');
  });

  it('an event of a type nobody listens to (others are listened to) is 200 ignored and completed', async () => {
    const onIgnored = vi.fn();
    const onProcessed = vi.fn();
    const logger = recordingLogger();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, logger, hooks: { onIgnored, onProcessed } });
    webhooks.on('user.created', () => {});
    const event = makeEvent({ event: 'dsync.user.created' });
    const res = await webhooks.handle(signedRequest(event));
    expect([res.status, bodyOf(res)]).toEqual([200, { status: 'ignored' }]);
    expect(onIgnored).toHaveBeenCalledOnce();
    expect(onProcessed).not.toHaveBeenCalled();
    expect(logger.lines.find((l) => l.obj.event_id === event.id && l.level === 'info')?.obj.outcome).toBe('ignored');
    expect((await webhooks.process(event as never)).outcome).toBe('duplicate');
    const viaApi = makeEvent({ event: 'dsync.user.created' });
    expect((await webhooks.process(viaApi as never)).outcome).toBe('ignored');
  });

  it('in queue mode the web process needs no listener (they run in the worker)', async () => {
    const jobs: string[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      queue: { enqueue: async (_event, { jobId }) => void jobs.push(jobId) },
    });
    const event = makeEvent();
    expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    expect(jobs).toEqual([event.id]);
  });
});

describe('acknowledged work is retried in process, then reported as needing reconcile', () => {
  it('background: a listener failing twice is retried and completes on the third attempt', async () => {
    const store = new RecordingStore();
    const retries: number[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      mode: 'background',
      retry: { attempts: 3, backoffMs: 2 },
      hooks: { onRetry: (_e, _err, info) => retries.push(info.attempt) },
    });
    const attempts: number[] = [];
    webhooks.onAny((_event, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error('transient');
    });
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
    await webhooks.drain();
    expect(attempts).toEqual([1, 2, 3]);
    expect(retries).toEqual([1, 2]);
    expect(store.ops()).toEqual(['claim', 'complete']);
  });

  it('background: exhausted retries release the claim, onFailed says acknowledged + final, the log says reconcile', async () => {
    const store = new RecordingStore();
    const logger = recordingLogger();
    const failures: FailureInfo[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      logger,
      mode: 'background',
      retry: { attempts: 2, backoffMs: 1 },
      hooks: { onFailed: (_e, _err, info) => failures.push(info) },
    });
    webhooks.onAny(() => {
      throw new Error('permanent');
    });
    const event = makeEvent();
    expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    await webhooks.drain();
    expect(store.ops()).toEqual(['claim', 'release']);
    expect(failures).toEqual([{ source: 'webhook', acknowledged: true, attempts: 2, final: true }]);
    const line = logger.lines.find((l) => l.level === 'error' && l.obj.event_id === event.id);
    expect(line?.msg).toMatch(/reconcile/);
    expect(line?.obj).toMatchObject({ acknowledged: true, attempts: 2 });
    // Released: a reconcile run claims it again.
    expect((await store.inner.claim(event.id, { leaseMs: 1_000 })).status).toBe('claimed');
  });

  it('inline: a failure before the answer is a 500 (WorkOS retries), not retried here: acknowledged false', async () => {
    const failures: FailureInfo[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      retry: { attempts: 5, backoffMs: 1 },
      hooks: { onFailed: (_e, _err, info) => failures.push(info) },
    });
    let runs = 0;
    webhooks.onAny(() => {
      runs++;
      throw new Error('x');
    });
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect([res.status, bodyOf(res).code]).toEqual([500, 'handler_failed']);
    expect(runs).toBe(1);
    expect(failures).toEqual([{ source: 'webhook', acknowledged: false, attempts: 1, final: false }]);
  });

  it('inline: after the 202, exhausted retries report acknowledged: true', async () => {
    const failures: FailureInfo[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      deadlineMs: 5,
      retry: { attempts: 2, backoffMs: 1 },
      hooks: { onFailed: (_e, _err, info) => failures.push(info) },
    });
    webhooks.onAny(async () => {
      await sleep(15);
      throw new Error('late');
    });
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(202);
    await webhooks.drain();
    expect(failures).toEqual([{ source: 'webhook', acknowledged: true, attempts: 2, final: true }]);
  });

  it('process() does not retry in process; a queue job is acknowledged, and final only when the worker says so', async () => {
    const failures: FailureInfo[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      hooks: { onFailed: (_e, _err, info) => failures.push(info) },
    });
    let runs = 0;
    webhooks.onAny(() => {
      runs++;
      throw new Error('x');
    });
    expect((await webhooks.process(makeEvent() as never)).attempts).toBe(1);
    await webhooks.process(makeEvent() as never, { source: 'queue', final: false });
    await webhooks.process(makeEvent() as never, { source: 'queue' });
    expect(runs).toBe(3);
    expect(failures).toEqual([
      { source: 'api', acknowledged: false, attempts: 1, final: true },
      { source: 'queue', acknowledged: true, attempts: 1, final: false },
      { source: 'queue', acknowledged: true, attempts: 1, final: true },
    ]);
  });

  it('a drain timeout during a retry backoff stops retrying, releases the claim and reports it', async () => {
    const store = new RecordingStore();
    const failures: FailureInfo[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      mode: 'background',
      retry: { attempts: 5, backoffMs: 60_000 },
      hooks: { onFailed: (_e, _err, info) => failures.push(info) },
    });
    let runs = 0;
    webhooks.onAny(() => {
      runs++;
      throw new Error('x');
    });
    await webhooks.handle(signedRequest(makeEvent()));
    await sleep(5);
    const result = await webhooks.drain({ timeoutMs: 20 });
    expect(result.drained).toBe(false);
    expect(result.abandoned).toBe(1);
    await sleep(5);
    expect(runs).toBe(1);
    expect(store.ops()).toContain('release');
    expect(failures[0]).toMatchObject({ acknowledged: true, attempts: 1, final: true });
  });
});

describe('drain counts every delivery from the moment it enters', () => {
  /** A store whose claims wait for `gate` (a slow network round trip). */
  function slowClaimStore(gate: Promise<void>) {
    const inner = new MemoryIdempotencyStore();
    return {
      inner,
      claim: async (key: string, opts: ClaimOptions) => {
        await gate;
        return inner.claim(key, opts);
      },
      complete: inner.complete.bind(inner),
      release: inner.release.bind(inner),
    };
  }

  it('does not resolve while a delivery is still waiting on store.claim; its listener runs before drain resolves', async () => {
    const gate = deferred();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store: slowClaimStore(gate.promise) });
    const ran: string[] = [];
    webhooks.onAny((event) => void ran.push(event.id));
    const event = makeEvent();
    const response = webhooks.handle(signedRequest(event));
    await sleep(5); // the delivery is now inside claim
    let drained = false;
    const draining = webhooks.drain().then((r) => {
      drained = true;
      return r;
    });
    await sleep(10);
    expect(drained).toBe(false);
    gate.resolve();
    expect(await draining).toEqual({ drained: true, abandoned: 0, released: 0 });
    expect(ran).toEqual([event.id]);
    expect((await response).status).toBe(200);
  });

  it('process() waiting on claim is counted too; once draining, process() returns shutting_down and runs nothing', async () => {
    const gate = deferred();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store: slowClaimStore(gate.promise) });
    const ran: string[] = [];
    webhooks.onAny((event) => void ran.push(event.id));
    const first = makeEvent();
    const inflight = webhooks.process(first as never);
    await sleep(5);
    let drained = false;
    const draining = webhooks.drain().then(() => {
      drained = true;
    });
    const late = await webhooks.process(makeEvent() as never);
    expect(late.outcome).toBe('shutting_down');
    await sleep(10);
    expect(drained).toBe(false);
    gate.resolve();
    await draining;
    expect((await inflight).outcome).toBe('processed');
    expect(ran).toEqual([first.id]);
    const refused = await webhooks.handle(signedRequest(makeEvent()));
    expect([refused.status, bodyOf(refused).code]).toEqual([503, 'shutting_down']);
  });

  it('with timeoutMs it reports what it abandoned and released', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, mode: 'background', concurrency: 1 });
    webhooks.onAny((_e, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', resolve)));
    await webhooks.handle(signedRequest(makeEvent()));
    await webhooks.handle(signedRequest(makeEvent()));
    const result = await webhooks.drain({ timeoutMs: 10 });
    expect(result).toEqual({ drained: false, abandoned: 2, released: 2 });
  });
});

describe('every timer option is bounded at construction', () => {
  const TOO_LONG = 2 ** 31;
  it.each([
    ['deadlineMs', { deadlineMs: TOO_LONG }],
    ['bodyTimeoutMs', { bodyTimeoutMs: TOO_LONG }],
    ['retry.backoffMs', { retry: { backoffMs: TOO_LONG } }],
    ['retry.maxBackoffMs', { mode: 'background' as const, retry: { maxBackoffMs: TOO_LONG } }],
    ['enqueueTimeoutMs', { queue: { enqueue: async () => {} }, enqueueTimeoutMs: TOO_LONG }],
  ])('%s above 2^31-1 ms → WorkOSWebhookConfigError naming it', (name, opts) => {
    const attempt = () => createWorkOSWebhookHandler({ secret: SECRET, ...(opts as object) });
    expect(attempt).toThrow(WorkOSWebhookConfigError);
    expect(attempt).toThrow(name);
    expect(() => createWorkOSWebhookHandler({ secret: SECRET, ...(opts as object), ...({} as object) })).toThrow(
      /2147483647/,
    );
  });

  it('deadlineMs of 30 days is refused instead of answering 202 after a few ms', () => {
    expect(() => createWorkOSWebhookHandler({ secret: SECRET, deadlineMs: 30 * 24 * 3_600_000 })).toThrow(
      /deadlineMs/,
    );
  });

  it('the longest legal deadline still runs listeners inline (no 1 ms timer)', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, deadlineMs: 2_147_483_647 });
    webhooks.onAny(() => sleep(10));
    expect(bodyOf(await webhooks.handle(signedRequest(makeEvent())))).toEqual({ status: 'processed' });
  });

  it('drain({ timeoutMs }) above 2^31-1 rejects with the option named', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    await expect(webhooks.drain({ timeoutMs: TOO_LONG })).rejects.toThrow(/timeoutMs/);
  });

  it.each([
    [{ concurrency: 4 }, /concurrency.*background/],
    [{ mode: 'background' as const, deadlineMs: 100 }, /deadlineMs.*inline/],
    [{ queue: { enqueue: async () => {} }, retry: { attempts: 2 } }, /retry/],
    [{ mode: 'background' as const, queue: { enqueue: async () => {} } }, /queue/],
    [{ enqueue: async () => {} }, /replaced by `queue`/],
    [{ retry: { attempts: 0 } }, /retry.attempts/],
    [{ retry: { backoffMs: 500, maxBackoffMs: 100 } }, /maxBackoffMs/],
  ])('options of another mode are refused, not silently ignored: %o', (opts, message) => {
    expect(() => createWorkOSWebhookHandler({ secret: SECRET, ...(opts as object) })).toThrow(message);
  });
});

describe('queue mode', () => {
  it('a slow enqueue answers 503 enqueue_failed at enqueueTimeoutMs and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      enqueueTimeoutMs: 20,
      queue: {
        enqueue: (_event: WorkOSEvent, info) => {
          signal = info.signal;
          return new Promise(() => {});
        },
      },
    });
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect([res.status, bodyOf(res).code]).toEqual([503, 'enqueue_failed']);
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as WorkOSHandlerError).code).toBe('enqueue_timeout');
  });

  it('a synchronous throw in enqueue is a 503 too, never a 2xx', async () => {
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      queue: {
        enqueue: () => {
          throw new Error('not connected');
        },
      },
    });
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(503);
  });
});
