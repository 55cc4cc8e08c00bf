/**
 * examples/poller against the fake WorkOS API: a cron-style run drains and exits, the next run continues from the
 * SQLite cursor, an event already handled through the shared store is skipped, `--follow` picks up new events and
 * stops cleanly on SIGTERM, and bad configuration stops it at start-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteIdempotencyStore } from '../../src/idempotency/stores/sqlite.js';
import type { WorkOSEvent } from '../../src/index.js';
import { createFakeWorkOSApi, createTestEvent, type FakeWorkOSApi } from '../../src/testing/index.js';
import { type ExampleProcess, prepareExample, startExample } from './helpers.js';

interface ExampleDatabase {
  prepare(sql: string): {
    run(...params: Array<string | number | null>): { changes: number | bigint };
    get(...params: Array<string | number | null>): unknown;
    all(...params: Array<string | number | null>): unknown[];
  };
  exec(sql: string): unknown;
  close(): unknown;
}

function someEvents(count: number, offset = 0): WorkOSEvent[] {
  const base = Date.now() - 60_000;
  return Array.from({ length: count }, (_, i) => {
    const created_at = new Date(base + (offset + i) * 100).toISOString();
    return i % 3 === 0
      ? createTestEvent('dsync.user.created', { created_at })
      : i % 3 === 1
        ? createTestEvent('user.created', { created_at })
        : createTestEvent('organization.updated', { created_at });
  });
}

describe('examples/poller', () => {
  let dir: string;
  let tmp: string;
  let api: FakeWorkOSApi;
  let openDatabase: (file: string) => ExampleDatabase;
  const running: ExampleProcess[] = [];

  beforeAll(async () => {
    dir = prepareExample('poller');
    tmp = mkdtempSync(path.join(tmpdir(), 'workos-events-poller-'));
    api = await createFakeWorkOSApi();
    ({ openDatabase } = (await import(path.join(dir, 'database.ts'))) as { openDatabase: typeof openDatabase });
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await api?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const run = (env: Record<string, string>, args: string[] = []) => {
    const p = startExample(dir, 'poller.ts', { WORKOS_API_KEY: api.apiKey, WORKOS_BASE_URL: api.url, ...env }, args);
    running.push(p);
    return p;
  };
  const applied = (file: string) => {
    const db = openDatabase(file);
    try {
      return (db.prepare('SELECT event_id FROM applied_events ORDER BY seq').all() as { event_id: string }[]).map(
        (r) => r.event_id,
      );
    } finally {
      db.close();
    }
  };

  it('drains to the end and exits, then continues from its cursor; skips events another route already handled', async () => {
    const file = path.join(tmp, 'cron.db');
    const first = someEvents(7);
    api.append(...first);
    const once = run({ DATABASE_FILE: file });
    expect(await once.exited()).toBe(0);
    expect(once.output()).toContain(`done: 7 applied, 0 already applied, cursor ${first[6]!.id}`);
    expect(applied(file)).toEqual(first.map((e) => e.id));

    // A webhook receiver sharing the store processed the next event first: the poller must not apply it again.
    const next = someEvents(3, 7);
    const db = openDatabase(file);
    try {
      const store = new SqliteIdempotencyStore({ database: db });
      const claim = await store.claim(next[1]!.id, { leaseMs: 60_000, source: 'webhook' });
      if (claim.status !== 'claimed') throw new Error('expected to claim');
      expect(await store.complete(next[1]!.id, claim.token)).toBe(true);
    } finally {
      db.close();
    }
    api.append(...next);
    const again = run({ DATABASE_FILE: file });
    expect(await again.exited()).toBe(0);
    expect(again.output()).toContain(`done: 2 applied, 1 already applied, cursor ${next[2]!.id}`);
    expect(again.output()).toContain(`duplicate ${next[1]!.event} ${next[1]!.id}`);
    expect(applied(file)).toEqual([...first, next[0]!, next[2]!].map((e) => e.id));

    const idle = run({ DATABASE_FILE: file });
    expect(await idle.exited()).toBe(0);
    expect(idle.output()).toContain('done: 0 applied, 0 already applied');
  });

  it('--follow applies new events as they appear and stops cleanly on SIGTERM', async () => {
    const file = path.join(tmp, 'follow.db');
    const follower = run({ DATABASE_FILE: file, POLL_INTERVAL_MS: '200', SINCE: '1m' }, ['--follow']);
    await follower.waitFor(/following the Events API/);
    const before = applied(file).length;
    const fresh = someEvents(4, 100).map((e) => ({ ...e, created_at: new Date().toISOString() }));
    api.append(...fresh);
    await follower.waitFor(new RegExp(`applied \\S+ ${fresh[3]!.id}`));
    expect(await follower.stop()).toBe(0);
    expect(follower.output()).toMatch(/done: \d+ applied/);
    const ids = applied(file);
    expect(ids.slice(before)).toEqual(expect.arrayContaining(fresh.map((e) => e.id)));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses to start with a missing or publishable API key, or an unknown event type', async () => {
    const missing = startExample(dir, 'poller.ts', { DATABASE_FILE: path.join(tmp, 'x.db') });
    running.push(missing);
    expect(await missing.exited()).toBe(1);
    expect(missing.output()).toContain('WORKOS_API_KEY is missing');

    const odd = run({ WORKOS_API_KEY: 'pk_test_abc', WORKOS_EVENTS: 'user.created,user.teleported', SINCE: 'soon' });
    expect(await odd.exited()).toBe(1);
    expect(odd.output()).toContain('WORKOS_API_KEY is a publishable key');
    expect(odd.output()).toContain('WORKOS_EVENTS holds an unknown event type');
    expect(odd.output()).toContain('SINCE must be a duration');
    expect(odd.output()).not.toContain('pk_test_abc');
  });
});
