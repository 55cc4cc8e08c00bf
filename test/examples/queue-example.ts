/**
 * The shared test of the queue examples (BullMQ, pg-boss): the web process and a worker run as real processes. The
 * web process acknowledges signed deliveries (a duplicate adds no job), refuses forged ones, answers 503 while the
 * engine is unreachable; the worker applies each event once; SIGTERM lets the job it is running finish.
 */
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEvent } from '../../src/testing/index.js';
import { type ExampleProcess, postWebhook, prepareExample, startExample } from './helpers.js';

const SECRET = 'whsec_queue_example_7Hq2';

export interface QueueExampleOptions {
  example: 'bullmq' | 'pg-boss';
  /** False (with the reason printed by the caller) to skip. */
  enabled: boolean;
  /** Where the engine (Redis / PostgreSQL) listens. */
  engine: { host: string; port: number };
  /** Environment of both processes (connection to the engine at `host:port`, queue name…), besides secret and port. */
  env: (host: string, port: number) => Record<string, string>;
  /** Removes what the run left in Redis / PostgreSQL. */
  cleanup: (eventIds: string[]) => Promise<void>;
}

/** A TCP proxy to the engine that can be cut, as when the database goes away under a running process. */
async function cuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

export function describeQueueExample(o: QueueExampleOptions): void {
  describe.skipIf(!o.enabled)(`examples/${o.example}`, () => {
    let dir: string;
    const running: ExampleProcess[] = [];
    const eventIds: string[] = [];

    beforeAll(() => {
      dir = prepareExample(o.example);
    });
    afterAll(async () => {
      await Promise.all(running.map((p) => p.stop()));
      if (o.enabled) await o.cleanup(eventIds);
    });

    const start = (file: 'web.ts' | 'worker.ts', env: Record<string, string>) => {
      const p = startExample(dir, file, { HOST: '127.0.0.1', PORT: '0', ...env });
      running.push(p);
      return p;
    };
    const newEvent = (type: 'user.created' | 'dsync.user.created' | 'organization.updated') => {
      const event = createTestEvent(type);
      eventIds.push(event.id);
      return { id: event.id, body: JSON.stringify(event) };
    };

    it('refuses to start without a webhook secret, naming the variable', async () => {
      for (const file of ['web.ts', 'worker.ts'] as const) {
        const p = start(file, o.env(o.engine.host, o.engine.port));
        expect(await p.exited()).toBe(1);
        expect(p.output()).toContain('WORKOS_WEBHOOK_SECRET is missing');
      }
    });

    it('acknowledges once the job is stored, applies each event once in the worker, finishes running jobs on SIGTERM', async () => {
      const env = { ...o.env(o.engine.host, o.engine.port), WORKOS_WEBHOOK_SECRET: SECRET };
      const web = start('web.ts', env);
      const [, port] = await web.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const url = `http://127.0.0.1:${port}/webhooks/workos`;

      const events = [newEvent('user.created'), newEvent('dsync.user.created'), newEvent('organization.updated')];
      for (const e of events) {
        expect(await postWebhook(url, e.body, { secret: SECRET })).toEqual({
          status: 200,
          body: { status: 'accepted' },
        });
      }
      // A duplicate delivery before any worker runs: accepted, and it adds no second job.
      expect((await postWebhook(url, events[0]!.body, { secret: SECRET })).status).toBe(200);
      expect(await postWebhook(url, events[1]!.body, { secret: 'whsec_forged' })).toEqual({
        status: 401,
        body: { status: 'error', code: 'signature_mismatch' },
      });

      const worker = start('worker.ts', { ...env, SIMULATED_WORK_MS: '400' });
      await worker.waitFor(/worker ready on queue/);
      for (const e of events) await worker.waitFor(new RegExp(`applied [a-z.]+ ${e.id}`));

      // SIGTERM while a job runs: the worker stops taking jobs, finishes that one, then exits 0.
      const slow = newEvent('user.created');
      expect((await postWebhook(url, slow.body, { secret: SECRET })).status).toBe(200);
      await worker.waitFor(new RegExp(`processing user\\.created ${slow.id}`));
      expect(await worker.stop()).toBe(0);
      const out = worker.output();
      expect(out.indexOf(`applied user.created ${slow.id}`)).toBeGreaterThan(-1);
      expect(out.indexOf(`applied user.created ${slow.id}`)).toBeLessThan(out.indexOf('stopped'));
      const applied = out.split('\n').filter((l) => l.startsWith('applied '));
      expect(applied.map((l) => l.split(' ')[2]).sort()).toEqual([...events, slow].map((e) => e.id).sort());

      expect(await web.stop()).toBe(0);
      expect(web.output()).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
    }, 60_000);

    it('answers 503 enqueue_failed once the engine is unreachable, never a 2xx', async () => {
      const proxy = await cuttableProxy(o.engine);
      const web = start('web.ts', { ...o.env('127.0.0.1', proxy.port), WORKOS_WEBHOOK_SECRET: SECRET });
      const [, port] = await web.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const url = `http://127.0.0.1:${port}/webhooks/workos`;
      expect((await postWebhook(url, newEvent('user.created').body, { secret: SECRET })).status).toBe(200);
      proxy.cut();
      for (let i = 0; i < 3; i++) {
        expect(await postWebhook(url, newEvent('user.created').body, { secret: SECRET })).toEqual({
          status: 503,
          body: { status: 'error', code: 'enqueue_failed' },
        });
      }
      await web.stop(3_000);
    }, 30_000);
  });
}
