import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkOSApiError } from '../../src/events-api/index.js';
import { type IdempotencyStore, MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import {
  RECONCILE_LOCK_KEY,
  type ReconcileTick,
  reconcileOnInterval,
  WorkOSReconcileError,
} from '../../src/reconcile/index.js';
import { createFakeWorkOSApi } from '../../src/testing/index.js';
import { countingHandler, makeEvents, withFakeApi } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Entry = { who: string; what: 'acquire' | 'release' | 'request' };

/** Logs lock acquisitions (after they succeed) and releases (before they happen): a conservative order. */
function tracked(store: IdempotencyStore, who: string, log: Entry[]): IdempotencyStore {
  return {
    claim: async (key, opts) => {
      const result = await store.claim(key, opts);
      if (key === RECONCILE_LOCK_KEY && result.status === 'claimed') log.push({ who, what: 'acquire' });
      return result;
    },
    complete: (key, token, opts) => store.complete(key, token, opts),
    release: (key, token) => {
      if (key === RECONCILE_LOCK_KEY) log.push({ who, what: 'release' });
      return store.release(key, token);
    },
  };
}

describe('reconcileOnInterval', () => {
  it('two instances sharing a store never reconcile at the same time', async () => {
    const events = makeEvents(6, ['user.created']);
    const api = await createFakeWorkOSApi({ events, latencyMs: 10 });
    const shared = new MemoryIdempotencyStore();
    const log: Entry[] = [];
    const ticks: Record<string, ReconcileTick['status'][]> = { a: [], b: [] };
    const skips: Record<string, number> = { a: 0, b: 0 };
    const instances = ['a', 'b'].map((who) => {
      const { handler, runs } = countingHandler(tracked(shared, who, log));
      const job = reconcileOnInterval({
        handler,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        limit: 2,
        everyMs: 3,
        fetch: (input, init) => {
          log.push({ who, what: 'request' });
          return globalThis.fetch(input, init);
        },
        onReport: () => ticks[who]!.push('completed'),
        onError: (error) => {
          throw error;
        },
        onSkip: () => {
          skips[who]!++;
        },
      });
      return { job, runs };
    });
    try {
      await sleep(700);
    } finally {
      await Promise.all(instances.map((i) => i.job.stop()));
      await api.close();
    }

    // Replay the log: a request is only made by the lock holder, and nobody acquires a held lock.
    let holder: string | undefined;
    for (const entry of log) {
      if (entry.what === 'acquire') {
        expect(holder, 'lock acquired while held').toBeUndefined();
        holder = entry.who;
      } else if (entry.what === 'release') {
        expect(holder).toBe(entry.who);
        holder = undefined;
      } else {
        expect(holder, `request by ${entry.who} outside its lock`).toBe(entry.who);
      }
    }
    const completed = ticks.a!.length + ticks.b!.length;
    expect(completed).toBeGreaterThanOrEqual(3);
    expect(skips.a! + skips.b!).toBeGreaterThan(0); // they did compete for the lock
    // The shared store ran each event once across both instances.
    for (const event of events) {
      expect((instances[0]!.runs.get(event.id) ?? 0) + (instances[1]!.runs.get(event.id) ?? 0)).toBe(1);
    }
  });

  it('skips a tick while its own run is going, and when another instance holds the lock', async () => {
    const events = makeEvents(3, ['user.created']);
    await withFakeApi(events, async (api) => {
      const { handler, store } = countingHandler();
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      handler.on('user.created', () => gate);
      const skipped: string[] = [];
      const job = reconcileOnInterval({
        handler,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        everyMs: 60_000,
        immediate: false,
        onSkip: (reason) => skipped.push(reason),
      });
      try {
        const first = job.runNow();
        await sleep(50);
        expect(job.running).toBe(true);
        expect(await job.runNow()).toEqual({ status: 'skipped', reason: 'running' });
        release();
        const done = await first;
        expect(done.status).toBe('completed');
        expect(done.status === 'completed' && done.report.processedNow).toBe(3);
        expect(job.running).toBe(false);

        // Another instance holds the lock: this one skips.
        const other = await store.claim(RECONCILE_LOCK_KEY, { leaseMs: 60_000 });
        expect(await job.runNow()).toEqual({ status: 'skipped', reason: 'locked' });
        if (other.status === 'claimed') await store.release(RECONCILE_LOCK_KEY, other.token);
        expect((await job.runNow()).status).toBe('completed');
        expect(skipped).toEqual(['running', 'locked']);
      } finally {
        await job.stop();
      }
    });
  });

  it('reports errors to onError (never thrown away), keeps the schedule and releases the lock', async () => {
    const events = makeEvents(2, ['user.created']);
    await withFakeApi(events, async (api) => {
      const { handler, store, logger } = countingHandler();
      const errors: Error[] = [];
      const job = reconcileOnInterval({
        handler,
        since: '1h',
        apiKey: 'sk_test_wrong',
        baseUrl: api.url,
        everyMs: 20,
        onError: (e) => errors.push(e),
      });
      await sleep(200);
      await job.stop();
      expect(errors.length).toBeGreaterThanOrEqual(2);
      expect(errors[0]).toBeInstanceOf(WorkOSApiError);
      const claim = await store.claim(RECONCILE_LOCK_KEY, { leaseMs: 1000 });
      expect(claim.status).toBe('claimed');

      // Without onError, failures go to the logger.
      const logged = reconcileOnInterval({
        handler,
        logger,
        lockKey: 'another-lock',
        since: '1h',
        apiKey: 'sk_test_wrong',
        baseUrl: api.url,
        everyMs: 60_000,
        immediate: false,
      });
      const tick = await logged.runNow();
      await logged.stop();
      expect(tick.status).toBe('failed');
      const line = logger.lines.find((l) => l.msg === 'reconcile: run failed');
      expect(line?.level).toBe('error');
      expect(String((line?.obj.err as { message?: string } | undefined)?.message)).toContain('401');
      expect(JSON.stringify(line?.obj)).not.toContain('sk_test_wrong');
    });
  });

  it('stop() ends the schedule: the run in flight is aborted, nothing runs after, runNow says stopped', async () => {
    const events = makeEvents(8, ['user.created']);
    await withFakeApi(events, async (api) => {
      const { handler, runs, store } = countingHandler();
      handler.on('user.created', () => sleep(15));
      const reports: number[] = [];
      const job = reconcileOnInterval({
        handler,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        everyMs: 10,
        onReport: (r) => reports.push(r.scanned),
      });
      await sleep(40);
      await job.stop();
      expect(job.stopped).toBe(true);
      expect(job.running).toBe(false);
      const processed = runs.size;
      expect(processed).toBeGreaterThan(0);
      expect(processed).toBeLessThan(8); // aborted part-way
      const requests = api.requests.length;
      await sleep(80);
      expect(api.requests.length).toBe(requests);
      expect(await job.runNow()).toEqual({ status: 'skipped', reason: 'stopped' });
      expect((await store.claim(RECONCILE_LOCK_KEY, { leaseMs: 1000 })).status).toBe('claimed');
    });
  });

  it('a run never outlives its lock lease: it stops reading a margin before the lease ends', async () => {
    const events = makeEvents(6, ['user.created']);
    await withFakeApi(events, async (api) => {
      const { handler } = countingHandler();
      handler.on('user.created', () => sleep(200));
      const job = reconcileOnInterval({
        handler,
        since: '1h',
        apiKey: api.apiKey,
        baseUrl: api.url,
        everyMs: 60_000,
        immediate: false,
        lockLeaseMs: 1000, // margin 500 ms → reads for at most ~500 ms
      });
      const tick = await job.runNow();
      await job.stop();
      expect(tick.status).toBe('completed');
      if (tick.status === 'completed') {
        expect(tick.report.complete).toBe(false);
        expect(tick.report.scanned).toBeLessThan(6);
        expect(tick.report.durationMs).toBeLessThan(1000);
      }
    });
  });

  it('checks its options', () => {
    const { handler } = countingHandler();
    const base = { handler, since: '1h', apiKey: 'sk_test_x' } as const;
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (e) {
        return e instanceof WorkOSReconcileError ? e.code : String(e);
      }
    };
    expect(code(() => reconcileOnInterval({ ...base, everyMs: 0 }))).toBe('invalid_options');
    expect(code(() => reconcileOnInterval({ ...base, everyMs: Number.NaN }))).toBe('invalid_options');
    // Beyond 2^31 - 1 ms setTimeout fires after 1 ms: a monthly schedule would reconcile back to back.
    expect(code(() => reconcileOnInterval({ ...base, everyMs: 30 * 86_400_000 }))).toBe('invalid_options');
    expect(code(() => reconcileOnInterval({ ...base, everyMs: 1000, lockLeaseMs: 10 }))).toBe('invalid_options');
    const noStore = {
      ...handler,
      process: handler.process,
      handledEventNames: handler.handledEventNames,
      store: undefined,
    };
    expect(code(() => reconcileOnInterval({ ...base, handler: noStore as never, everyMs: 1000 }))).toBe(
      'invalid_options',
    );
  });

  it('leaves no timer behind: a process whose only work was a stopped schedule exits on its own', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const script = `
      import { createWorkOSWebhookHandler, reconcileOnInterval } from ${JSON.stringify(path.join(root, 'src/index.ts'))};
      const handler = createWorkOSWebhookHandler({ secret: 'whsec_x' });
      handler.on('user.created', () => {});
      const job = reconcileOnInterval({ handler, since: '1h', apiKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:9', everyMs: 3_600_000, immediate: false });
      await job.stop();
      console.log('stopped');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = await Promise.race([
      new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
      sleep(15_000).then(() => 'timeout' as const),
    ]);
    if (exited === 'timeout') child.kill('SIGKILL');
    expect(exited, out).toBe(0);
    expect(out).toContain('stopped');
  });
});
