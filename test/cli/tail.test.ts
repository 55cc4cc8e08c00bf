import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkOSEvent } from '../../src/events/index.js';
import { createFakeWorkOSApi, createTestEvent, type FakeWorkOSApi } from '../../src/testing/index.js';
import { API_KEY, cli, expectNoSecrets, spawnCli } from './helpers.js';

const events = Array.from(
  { length: 6 },
  (_, i) => createTestEvent(i % 2 ? 'dsync.user.created' : 'organization.updated') as unknown as WorkOSEvent,
);
const env = { WORKOS_API_KEY: API_KEY };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let api: FakeWorkOSApi;
let dir: string;
beforeAll(async () => {
  api = await createFakeWorkOSApi({ apiKey: API_KEY, events });
});
afterAll(() => api.close());
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'workos-tail-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const ids = (ndjson: string) =>
  ndjson
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as WorkOSEvent).id);

describe('workos-events tail', () => {
  it('prints NDJSON, saves the cursor, and resumes from it', async () => {
    const cursorFile = path.join(dir, 'cursor');
    const base = ['tail', '--since', '1h', '--format', 'ndjson', '--base-url', api.url, '--cursor-file', cursorFile];
    const first = await cli([...base, '--max', '4'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(ids(first.stdout)).toEqual(events.slice(0, 4).map((e) => e.id));
    expect((await readFile(cursorFile, 'utf8')).trim()).toBe(events[3]!.id);
    expect(first.stderr).toContain(`Stopped after 4 events; cursor ${events[3]!.id} saved to ${cursorFile}`);

    const second = await cli([...base, '--max', '2'], { env });
    expect(ids(second.stdout)).toEqual(events.slice(4, 6).map((e) => e.id));
    expect(api.requests.at(-1)?.query.get('after')).toBe(events[3]!.id);
    expectNoSecrets(second, API_KEY);
  });

  it('skips an item that does not parse, says so on stderr (id and code, no value) and goes on', async () => {
    const poison = { ...createTestEvent('user.created'), data: null, context: { token: 'sk_live_tail_poison_9d' } };
    const good = [createTestEvent('user.created'), createTestEvent('user.created')];
    const poisoned = await createFakeWorkOSApi({ apiKey: API_KEY, events: [good[0]!, poison as never, good[1]!] });
    try {
      const base = ['tail', '--since', '1h', '--format', 'ndjson', '--events', 'user.created'];
      const result = await cli([...base, '--base-url', poisoned.url, '--max', '2'], { env });
      expect(result.code, result.stderr).toBe(0);
      expect(ids(result.stdout)).toEqual(good.map((e) => e.id));
      expect(result.stderr).toContain(`Skipped an invalid Events API item ${poison.id} (invalid_payload)`);
      expectNoSecrets(result, 'sk_live_tail_poison_9d');
    } finally {
      await poisoned.close();
    }
  });

  it('prints a table, filtered by --events', async () => {
    const result = await cli(
      [
        'tail',
        '--since',
        '1h',
        '--format',
        'table',
        '--events',
        'organization.updated',
        '--max',
        '3',
        '--base-url',
        api.url,
      ],
      { env },
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CREATED_AT\s+EVENT\s+ID\s+ORGANIZATION$/);
    expect(lines).toHaveLength(4);
    for (const [i, line] of lines.slice(1).entries()) {
      const event = events[i * 2]!;
      expect(line).toContain(event.created_at);
      expect(line).toContain('organization.updated');
      expect(line).toContain(event.id);
      expect(line).toContain(String((event.data as { id: string }).id));
    }
  });

  it('follows new events and stops cleanly on abort (exit 0), keeping the cursor', async () => {
    const cursorFile = path.join(dir, 'cursor');
    const controller = new AbortController();
    const run = cli(
      ['tail', '--format', 'ndjson', '--interval', '100', '--base-url', api.url, '--cursor-file', cursorFile],
      { env, signal: controller.signal },
    );
    await sleep(250);
    const fresh = createTestEvent('dsync.user.created') as unknown as WorkOSEvent;
    api.append(fresh);
    await sleep(400);
    controller.abort();
    const result = await run;
    expect(result.code).toBe(0);
    // Started "now": only the appended event is printed.
    expect(ids(result.stdout)).toEqual([fresh.id]);
    expect((await readFile(cursorFile, 'utf8')).trim()).toBe(fresh.id);
    expect(result.stderr).toContain('Stopped after 1 event;');
  });

  it('a real process stops on SIGINT with exit 0 and the cursor saved', async () => {
    const cursorFile = path.join(dir, 'cursor');
    const run = spawnCli(
      [
        'tail',
        '--since',
        '1h',
        '--format',
        'ndjson',
        '--interval',
        '100',
        '--base-url',
        api.url,
        '--cursor-file',
        cursorFile,
      ],
      { env },
    );
    const deadline = Date.now() + 20_000;
    while (ids(run.output()).length < events.length && Date.now() < deadline) await sleep(50);
    expect(ids(run.output()).length).toBeGreaterThanOrEqual(events.length);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const printed = ids(result.stdout);
    expect(printed.slice(0, events.length)).toEqual(events.map((e) => e.id));
    expect((await readFile(cursorFile, 'utf8')).trim()).toBe(printed.at(-1));
    expect(result.stderr).toContain('saved to');
  });

  it('exits 3 on an API 401, 2 on bad options', async () => {
    const bad = await cli(['tail', '--base-url', api.url], { env: { WORKOS_API_KEY: 'sk_test_nope_nope' } });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('401');
    expect((await cli(['tail', '--format', 'xml', '--base-url', api.url], { env })).code).toBe(2);
    expect((await cli(['tail', '--max', '0', '--base-url', api.url], { env })).code).toBe(2);
    expect((await cli(['tail', '--interval', '5', '--base-url', api.url], { env })).code).toBe(2);
    expect((await cli(['tail', '--base-url', api.url])).code).toBe(2);
  });
});
