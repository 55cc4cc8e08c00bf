/**
 * The shared test of the webhook examples (Express, Fastify): each runs as a real process on a free port and is
 * probed with signed, duplicate, forged, unsigned and stale deliveries, then stopped with SIGTERM and restarted on
 * the same SQLite file to show that dedup survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeWorkOSApi, createTestEvent, signWorkOSWebhook } from '../../src/testing/index.js';
import { type ExampleProcess, postWebhook, prepareExample, startExample } from './helpers.js';

const SECRET = 'whsec_example_test_8f2Kq9';

interface ExampleDatabase {
  prepare(sql: string): { all(...params: string[]): unknown[] };
  close(): unknown;
}

export function describeWebhookExample(example: 'express' | 'fastify'): void {
  describe(`examples/${example}`, () => {
    let dir: string;
    let tmp: string;
    const running: ExampleProcess[] = [];

    beforeAll(() => {
      dir = prepareExample(example);
      tmp = mkdtempSync(path.join(tmpdir(), `workos-events-${example}-`));
    });
    afterAll(async () => {
      await Promise.all(running.map((p) => p.stop()));
      rmSync(tmp, { recursive: true, force: true });
    });

    const start = async (env: Record<string, string>) => {
      const server = startExample(dir, 'server.ts', { HOST: '127.0.0.1', PORT: '0', ...env });
      running.push(server);
      const [, port] = await server.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      return { server, base: `http://127.0.0.1:${port}` };
    };

    it('refuses to start without a webhook secret, naming the variable', async () => {
      const server = startExample(dir, 'server.ts', { PORT: '0' });
      running.push(server);
      expect(await server.exited()).toBe(1);
      expect(server.output()).toContain('WORKOS_WEBHOOK_SECRET is missing');
      expect(server.output()).not.toContain('listening');
    });

    it('lists every odd setting at once, without printing the values', async () => {
      const server = startExample(dir, 'server.ts', {
        WORKOS_WEBHOOK_SECRET: 'whsec_pasted_with_newline\n',
        WORKOS_API_KEY: 'pk_live_client_key',
        PORT: '99999',
        RECONCILE_EVERY: 'often',
      });
      running.push(server);
      expect(await server.exited()).toBe(1);
      const out = server.output();
      expect(out).toContain('WORKOS_WEBHOOK_SECRET has leading or trailing whitespace');
      expect(out).toContain('WORKOS_API_KEY is a publishable key');
      expect(out).toContain('PORT must be between 0 and 65535');
      expect(out).toContain('RECONCILE_EVERY must be a duration');
      expect(out).not.toContain('whsec_pasted_with_newline');
      expect(out).not.toContain('pk_live_client_key');
    });

    it('answers valid, duplicate, forged, unsigned and stale deliveries; drains on SIGTERM; dedups after restart', async () => {
      const env = { WORKOS_WEBHOOK_SECRET: SECRET, DATABASE_FILE: path.join(tmp, 'app.db') };
      const event = createTestEvent('dsync.user.created', { data: { email: 'grace@example.com' } });
      const body = JSON.stringify(event);

      const first = await start(env);
      const url = `${first.base}/webhooks/workos`;
      expect(await postWebhook(url, body, { secret: SECRET })).toEqual({ status: 200, body: { status: 'processed' } });
      expect(await postWebhook(url, body, { secret: SECRET })).toEqual({ status: 200, body: { status: 'duplicate' } });
      expect(await postWebhook(url, body, { secret: 'whsec_forged' })).toEqual({
        status: 401,
        body: { status: 'error', code: 'signature_mismatch' },
      });
      const tampered = body.replace('grace@example.com', 'mallory@example.com');
      const genuineHeader = signWorkOSWebhook({ payload: body, secret: SECRET });
      expect((await postWebhook(url, tampered, { header: genuineHeader })).body.code).toBe('signature_mismatch');
      expect(await postWebhook(url, body, null)).toEqual({
        status: 401,
        body: { status: 'error', code: 'missing_signature' },
      });
      const stale = await postWebhook(url, body, { secret: SECRET, timestamp: Date.now() - 10 * 60_000 });
      expect(stale).toEqual({ status: 401, body: { status: 'error', code: 'timestamp_too_old' } });

      // The app's other routes keep their usual JSON parsing.
      const health = await fetch(`${first.base}/healthz`);
      expect(health.status).toBe(200);
      const echo = await fetch(`${first.base}/api/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hello: 'world' }),
      });
      expect(await echo.json()).toEqual({ received: { hello: 'world' } });

      expect(await first.server.stop()).toBe(0);
      expect(first.server.output()).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);

      // Same SQLite file, new process: the event is still known.
      const second = await start(env);
      expect(await postWebhook(`${second.base}/webhooks/workos`, body, { secret: SECRET })).toEqual({
        status: 200,
        body: { status: 'duplicate' },
      });
      const other = JSON.stringify(createTestEvent('organization.updated', { data: { name: 'Initech' } }));
      expect((await postWebhook(`${second.base}/webhooks/workos`, other, { secret: SECRET })).body.status).toBe(
        'processed',
      );
      expect(await second.server.stop()).toBe(0);

      // What the handlers wrote: the user once, each event applied once.
      const { openDatabase } = (await import(path.join(dir, 'database.ts'))) as {
        openDatabase(file: string): ExampleDatabase;
      };
      const db = openDatabase(env.DATABASE_FILE);
      try {
        expect(db.prepare('SELECT email FROM directory_users WHERE id = ?').all(event.data.id)).toEqual([
          { email: 'grace@example.com' },
        ]);
        expect(db.prepare('SELECT name FROM organizations').all()).toEqual([{ name: 'Initech' }]);
        const applied = db.prepare('SELECT event_id, source FROM applied_events ORDER BY seq').all();
        expect(applied).toEqual([
          { event_id: event.id, source: 'webhook' },
          { event_id: JSON.parse(other).id, source: 'webhook' },
        ]);
      } finally {
        db.close();
      }
    });

    it('with WORKOS_API_KEY, reconciles from the Events API what the webhooks missed, once', async () => {
      const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
      // Three events that happened while this endpoint was not receiving webhooks.
      const missed = [
        createTestEvent('user.created', { created_at: minutesAgo(20) }),
        createTestEvent('dsync.user.created', { created_at: minutesAgo(15) }),
        createTestEvent('organization.updated', { created_at: minutesAgo(10) }),
      ];
      const api = await createFakeWorkOSApi({ events: missed });
      try {
        const env = {
          WORKOS_WEBHOOK_SECRET: SECRET,
          DATABASE_FILE: path.join(tmp, 'reconcile.db'),
          WORKOS_API_KEY: api.apiKey,
          WORKOS_BASE_URL: api.url,
          RECONCILE_EVERY: '1h',
        };
        // The first run starts with the server.
        const { server, base } = await start(env);
        const first = await server.waitFor(
          /reconcile: (\d+) scanned, (\d+) already processed, (\d+) recovered, (\d+) failed/,
        );
        expect(first.slice(1).map(Number)).toEqual([3, 0, 3, 0]);
        // A late webhook for an event reconcile already processed: a duplicate, not a second run.
        const late = await postWebhook(`${base}/webhooks/workos`, JSON.stringify(missed[1]), { secret: SECRET });
        expect(late).toEqual({ status: 200, body: { status: 'duplicate' } });
        expect(await server.stop()).toBe(0);
        expect(api.requests.every((r) => r.authorized)).toBe(true);

        const { openDatabase } = (await import(path.join(dir, 'database.ts'))) as {
          openDatabase(file: string): ExampleDatabase;
        };
        const db = openDatabase(env.DATABASE_FILE);
        try {
          const applied = db.prepare('SELECT event_id, source FROM applied_events ORDER BY seq').all();
          expect(applied).toEqual(missed.map((e) => ({ event_id: e.id, source: 'api' })));
        } finally {
          db.close();
        }
      } finally {
        await api.close();
      }
    });
  });
}
