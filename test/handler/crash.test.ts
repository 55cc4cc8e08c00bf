/**
 * Background mode acknowledges before it processes. A crash then loses the in-memory queue, and WorkOS will not
 * retry a 2xx: `reconcile` is what recovers those events. This test proves it end to end with a real child process,
 * a real SQLite file, a SIGKILL, and the fake Events API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { WorkOSEvent } from '../../src/events/index.js';
import { createWorkOSWebhookHandler } from '../../src/handler/index.js';
import { SqliteIdempotencyStore } from '../../src/idempotency/stores/sqlite.js';
import { reconcile } from '../../src/reconcile/index.js';
import { createFakeWorkOSApi, createTestEvent } from '../../src/testing/index.js';
import { signWorkOSWebhook } from '../../src/verify/index.js';
import { openSqlite } from './fixtures/open-sqlite.js';
import { sleep } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/background-server.ts', import.meta.url));
const SECRET = 'whsec_crash_test_secret';
const N = 40;
const DONE_LIMIT = 12;
const LEASE_MS = 400;

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

function portOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
}

it('SIGKILL with acknowledged, unprocessed events in background mode: reconcile processes every one, none twice', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'workos-crash-'));
  const out = path.join(dir, 'processed.txt');
  const dbFile = path.join(dir, 'idempotency.db');
  const events = Array.from({ length: N }, () => createTestEvent('user.created') as unknown as WorkOSEvent);
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: {
      ...process.env,
      OUT_FILE: out,
      DB_FILE: dbFile,
      SECRET,
      DONE_LIMIT: String(DONE_LIMIT),
      LEASE_MS: String(LEASE_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const port = await portOf(child);
    // Every delivery is acknowledged: WorkOS considers all N delivered and will not send them again.
    for (const event of events) {
      const body = JSON.stringify(event);
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'workos-signature': signWorkOSWebhook({ payload: body, secret: SECRET }) },
        body,
      });
      expect([res.status, await res.json()]).toEqual([200, { status: 'accepted' }]);
    }
    while ((await lines(out)).length < DONE_LIMIT) await sleep(10);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const beforeCrash = await lines(out);
    expect(beforeCrash).toHaveLength(DONE_LIMIT); // the rest were acknowledged and lost with the process

    // Recovery: a new process on the same SQLite file runs reconcile against the Events API once the dead
    // process's claim leases have run out.
    await sleep(LEASE_MS + 100);
    const store = new SqliteIdempotencyStore({ database: await openSqlite(dbFile) });
    const recovered: string[] = [];
    const handler = createWorkOSWebhookHandler({ secret: SECRET, store });
    handler.on('user.created', (event) => void recovered.push(event.id));
    const api = await createFakeWorkOSApi({ events });
    try {
      const report = await reconcile({ handler, since: '1h', apiKey: api.apiKey, baseUrl: api.url });
      expect(report).toMatchObject({ scanned: N, alreadyProcessed: DONE_LIMIT, processedNow: N - DONE_LIMIT, failed: [] });
    } finally {
      await api.close();
    }
    const all = [...beforeCrash, ...recovered];
    expect(all.sort()).toEqual(events.map((e) => e.id).sort()); // every event exactly once
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
