import { describe, expect, it, vi } from 'vitest';
import { createWorkOSWebhookHandler, type HandlerContext, type WorkOSEvent } from '../../src/index.js';
import { bodyOf, deferred, makeEvent, RecordingStore, SECRET, signedRequest, sleep } from './helpers.js';

describe('inline mode deadline', () => {
  it('answers 202 when listeners outlast deadlineMs, then completes the claim when they finish', async () => {
    const store = new RecordingStore();
    const onProcessed = vi.fn();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, deadlineMs: 30, hooks: { onProcessed } });
    const gate = deferred();
    let ctxSeen: HandlerContext | undefined;
    webhooks.onAny(async (_e, ctx) => {
      ctxSeen = ctx;
      await gate.promise;
    });
    const event = makeEvent();
    const res = await webhooks.handle(signedRequest(event));
    expect([res.status, bodyOf(res)]).toEqual([202, { status: 'accepted' }]);
    expect(store.ops()).toEqual(['claim']);
    expect(ctxSeen?.deadline).toBe(ctxSeen!.receivedAt + 30);
    // A retry while it still runs is told to come back later.
    expect((await webhooks.handle(signedRequest(event))).status).toBe(409);
    gate.resolve();
    await webhooks.drain();
    expect(store.ops()).toEqual(['claim', 'claim', 'complete']);
    expect(onProcessed).toHaveBeenCalledOnce();
    expect((await store.inner.claim(event.id, { leaseMs: 1000 })).status).toBe('duplicate');
  });

  it('after a 202, a failure is retried in process (WorkOS will not retry a 2xx) and then completes', async () => {
    const store = new RecordingStore();
    const onRetry = vi.fn();
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      deadlineMs: 10,
      retry: { backoffMs: 5 },
      hooks: { onRetry },
    });
    let calls = 0;
    webhooks.onAny(async () => {
      calls++;
      if (calls === 1) {
        await sleep(40);
        throw new Error('late failure');
      }
    });
    const event = makeEvent();
    expect((await webhooks.handle(signedRequest(event))).status).toBe(202);
    await webhooks.drain();
    expect(calls).toBe(2);
    expect(store.ops()).toEqual(['claim', 'complete']);
    expect(onRetry).toHaveBeenCalledOnce();
    expect(onRetry.mock.calls[0]![2]).toMatchObject({ source: 'webhook', attempt: 1 });
  });
});

describe('background mode', () => {
  it('answers 200 accepted after verify + claim, before the listener finishes', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, mode: 'background' });
    const gate = deferred();
    const done = vi.fn();
    webhooks.onAny(async () => {
      await gate.promise;
      done();
    });
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect([res.status, bodyOf(res)]).toEqual([200, { status: 'accepted' }]);
    expect(done).not.toHaveBeenCalled();
    gate.resolve();
    await webhooks.drain();
    expect(done).toHaveBeenCalledOnce();
    expect(store.ops()).toEqual(['claim', 'complete']);
  });

  it('runs at most `concurrency` listeners; a full queue answers 503 queue_full without claiming', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      mode: 'background',
      concurrency: 2,
      maxQueued: 3,
    });
    const gate = deferred();
    let running = 0;
    let peak = 0;
    webhooks.onAny(async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
    });
    // 2 start running, 3 wait in the queue; the 6th and 7th find it full.
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await webhooks.handle(signedRequest(makeEvent()))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 503, 503]);
    const full = await webhooks.handle(signedRequest(makeEvent()));
    expect([bodyOf(full).code, full.headers['retry-after']]).toEqual(['queue_full', '30']);
    expect(store.calls.filter((c) => c.op === 'claim')).toHaveLength(5);
    gate.resolve();
    await webhooks.drain();
    expect(peak).toBe(2);
    expect(store.calls.filter((c) => c.op === 'complete')).toHaveLength(5);
  });

  it('concurrent deliveries cannot overfill the queue while their claims are in flight', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, mode: 'background', concurrency: 1, maxQueued: 2 });
    const gate = deferred();
    webhooks.onAny(() => gate.promise);
    const results = await Promise.all(Array.from({ length: 6 }, () => webhooks.handle(signedRequest(makeEvent()))));
    // 1 running + 2 queued: the slot is reserved before the async claim, so at most 3 are accepted.
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 503)).toHaveLength(3);
    gate.resolve();
    await webhooks.drain();
  });

  it('with retry: false, a failure in the queue releases the claim and onFailed says it was acknowledged', async () => {
    const store = new RecordingStore();
    const onFailed = vi.fn();
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      mode: 'background',
      maxQueued: 1,
      concurrency: 1,
      retry: false,
      hooks: { onFailed },
    });
    let n = 0;
    webhooks.onAny(() => {
      n++;
      if (n === 1) throw new Error('fail once');
    });
    const event = makeEvent();
    expect((await webhooks.handle(signedRequest(event))).status).toBe(200);
    await webhooks.drain();
    expect(store.ops()).toEqual(['claim', 'release']);
    expect(onFailed.mock.calls[0]![2]).toEqual({ source: 'webhook', acknowledged: true, attempts: 1, final: true });
  });

  it('duplicate and in-progress deliveries give their reserved queue slot back', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, mode: 'background', maxQueued: 1, concurrency: 1 });
    const gate = deferred();
    const done = makeEvent();
    webhooks.onAny((event) => (event.id === done.id ? undefined : gate.promise));
    expect((await webhooks.process(done as never)).outcome).toBe('processed');
    const held = makeEvent();
    expect((await webhooks.handle(signedRequest(held))).status).toBe(200); // running: one slot of two left
    for (let i = 0; i < 3; i++) {
      expect(bodyOf(await webhooks.handle(signedRequest(done)))).toEqual({ status: 'duplicate' });
      expect((await webhooks.handle(signedRequest(held))).status).toBe(409);
    }
    // Had any of those kept its slot, the queue would be full now.
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(503);
    gate.resolve();
    await webhooks.drain();
  });
});

describe('queue mode (durable queue)', () => {
  it('hands the verified event to the queue and answers 200; the worker calls process()', async () => {
    const store = new RecordingStore();
    const jobs: Array<{ event: WorkOSEvent; jobId: string }> = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      queue: {
        enqueue: async (event, info) => {
          jobs.push({ event, jobId: info.jobId });
        },
      },
    });
    const listener = vi.fn();
    webhooks.onAny(listener);
    const event = makeEvent();
    const res = await webhooks.handle(signedRequest(event));
    expect([res.status, bodyOf(res)]).toEqual([200, { status: 'accepted' }]);
    expect(jobs.map((j) => j.jobId)).toEqual([event.id]);
    expect(listener).not.toHaveBeenCalled();
    expect(store.calls).toEqual([]);
    // The worker side: a job serialized through a real queue, processed with the same store.
    const job = JSON.parse(JSON.stringify(jobs[0]!.event)) as WorkOSEvent;
    expect((await webhooks.process(job, { source: 'queue' })).outcome).toBe('processed');
    expect((await webhooks.process(job, { source: 'queue' })).outcome).toBe('duplicate');
    expect(listener).toHaveBeenCalledOnce();
  });

  it('an enqueue failure answers 503 enqueue_failed so WorkOS retries', async () => {
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      queue: { enqueue: () => Promise.reject(new Error('redis down')) },
    });
    const res = await webhooks.handle(signedRequest(makeEvent()));
    expect([res.status, bodyOf(res).code]).toEqual([503, 'enqueue_failed']);
  });
});

describe('drain()', () => {
  it('waits for in-flight work, and refuses new deliveries with 503 shutting_down', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, mode: 'background' });
    const gate = deferred();
    const finished = vi.fn();
    webhooks.onAny(async () => {
      await gate.promise;
      finished();
    });
    await webhooks.handle(signedRequest(makeEvent()));
    let drained = false;
    const draining = webhooks.drain().then(() => {
      drained = true;
    });
    await sleep(10);
    expect(drained).toBe(false);
    const late = await webhooks.handle(signedRequest(makeEvent()));
    expect([late.status, bodyOf(late).code]).toEqual([503, 'shutting_down']);
    gate.resolve();
    await draining;
    expect(finished).toHaveBeenCalledOnce();
  });

  it('with timeoutMs: aborts ctx.signal, releases held claims, and queued work never starts', async () => {
    const store = new RecordingStore();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, store, mode: 'background', concurrency: 1 });
    let signal: AbortSignal | undefined;
    const started: string[] = [];
    webhooks.onAny(async (event, ctx) => {
      started.push(event.id);
      signal = ctx.signal;
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    });
    const a = makeEvent();
    const b = makeEvent();
    await webhooks.handle(signedRequest(a));
    await webhooks.handle(signedRequest(b));
    await webhooks.drain({ timeoutMs: 20 });
    expect(signal?.aborted).toBe(true);
    await sleep(10);
    expect(started).toEqual([a.id]);
    const releases = store.calls.filter((c) => c.op === 'release').map((c) => c.key);
    expect(releases).toContain(a.id);
    expect(releases).toContain(b.id);
    expect(store.calls.filter((c) => c.op === 'complete')).toEqual([]);
    // Released means claimable again: another instance (or the retry) can take them.
    const claim = await store.inner.claim(b.id, { leaseMs: 1000 });
    expect(claim.status).toBe('claimed');
  });
});
