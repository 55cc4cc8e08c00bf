import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay.js';
import type { WorkOSEvent } from '../../src/events/index.js';
import { createFakeWorkOSApi, createTestEvent, type FakeWorkOSApi } from '../../src/testing/index.js';
import { API_KEY, cli, deadUrl, type Endpoint, expectNoSecrets, SECRET, startEndpoint } from './helpers.js';

const types = ['dsync.user.created', 'dsync.user.updated', 'user.created'] as const;
const events = Array.from({ length: 9 }, (_, i) => createTestEvent(types[i % 3]!) as unknown as WorkOSEvent);
const env = { WORKOS_API_KEY: API_KEY, WORKOS_WEBHOOK_SECRET: SECRET };

let api: FakeWorkOSApi;
beforeAll(async () => {
  api = await createFakeWorkOSApi({ apiKey: API_KEY, events });
});
afterAll(() => api.close());

async function withEndpoint<T>(fn: (endpoint: Endpoint) => Promise<T>): Promise<T> {
  const endpoint = await startEndpoint();
  try {
    return await fn(endpoint);
  } finally {
    await endpoint.close();
  }
}

describe('workos-events replay', () => {
  it('delivers every event, signed, in order, and summarizes (exit 0); a second replay is all duplicates', async () => {
    await withEndpoint(async (endpoint) => {
      const args = ['replay', '--since', '1h', '--url', endpoint.url, '--base-url', api.url, '--rate', '0'];
      const first = await cli(args, { env });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(
        /Replayed 9 of 9 events to http:\/\/127\.0\.0\.1:\d+\/webhooks\/workos in [\d.]+ s \(200: 9\)\./,
      );
      expect(first.stdout).toContain(`continue with --after ${events[8]!.id}`);
      expect(endpoint.received.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(endpoint.received[0]).toEqual(events[0]); // the body the handler verified is the API's event
      expectNoSecrets(first, API_KEY, SECRET);

      const again = await cli(args, { env });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('(200: 9)');
      expect(endpoint.received).toHaveLength(9);
    });
  });

  it('--events filters (space- or comma-separated), --after continues after an id', async () => {
    await withEndpoint(async (endpoint) => {
      const base = ['--url', endpoint.url, '--base-url', api.url, '--rate', '0'];
      const some = await cli(['replay', '--since', '1h', '--events', 'dsync.user.created,user.created', ...base], {
        env,
      });
      expect(some.code).toBe(0);
      expect(some.stdout).toContain('Replayed 6 of 6');
      expect(new Set(endpoint.received.map((e) => e.event))).toEqual(new Set(['dsync.user.created', 'user.created']));

      const rest = await cli(
        ['replay', '--after', events[6]!.id, '--events', 'dsync.user.updated', 'user.created', ...base],
        { env },
      );
      expect(rest.code).toBe(0);
      expect(rest.stdout).toContain('Replayed 2 of 2'); // events 7 (updated) and 8 (user.created)
    });
  });

  it('exits 1 and lists the refusals when the endpoint answers non-2xx (e.g. another secret)', async () => {
    await withEndpoint(async (endpoint) => {
      const result = await cli(
        [
          'replay',
          '--since',
          '1h',
          '--url',
          endpoint.url,
          '--base-url',
          api.url,
          '--rate',
          '0',
          '--secret',
          'whsec_not_the_endpoint_secret',
        ],
        { env },
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('(401: 9)');
      expect(result.stdout).toMatch(/✘ dsync\.user\.created event_\w+ → 401 .*signature_mismatch/);
      expect(endpoint.received).toHaveLength(0);
      expectNoSecrets(result, 'whsec_not_the_endpoint_secret');
    });
  });

  it('paces deliveries with --rate', async () => {
    await withEndpoint(async (endpoint) => {
      const started = performance.now();
      const result = await cli(
        [
          'replay',
          '--since',
          '1h',
          '--events',
          'user.created',
          '--url',
          endpoint.url,
          '--base-url',
          api.url,
          '--rate',
          '40',
        ],
        { env },
      );
      expect(result.code).toBe(0);
      // 3 deliveries at 40/s: at least 2 gaps of 25 ms between them.
      expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    });
  });

  it('exits 3 on an Events API 401 or an unreachable endpoint; 2 on bad usage', async () => {
    await withEndpoint(async (endpoint) => {
      const bad = await cli(['replay', '--url', endpoint.url, '--base-url', api.url], {
        env: { ...env, WORKOS_API_KEY: 'sk_test_wrong_key_0000' },
      });
      expect(bad.code).toBe(3);
      expect(bad.stderr).toContain('Events API error 401');
      expect(bad.stderr).toContain('workos-events doctor');
      expectNoSecrets(bad, 'sk_test_wrong_key_0000');
    });
    const down = await cli(['replay', '--since', '1h', '--url', await deadUrl(), '--base-url', api.url], { env });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('unreachable');
    expect(down.stdout).toContain('Replayed 0 of 9');

    const usage = [
      ['replay', '--since', '40d', '--url', 'http://127.0.0.1:1'],
      ['replay', '--since', 'soon', '--url', 'http://127.0.0.1:1'],
      ['replay', '--since', '1h', '--after', 'event_1', '--url', 'http://127.0.0.1:1'],
      ['replay', '--since', '1h'],
      ['replay', '--url', 'http://127.0.0.1:1', '--rate', '-1'],
    ];
    for (const argv of usage) expect((await cli(argv, { env })).code, argv.join(' ')).toBe(2);
    expect(
      (await cli(['replay', '--url', 'http://127.0.0.1:1'], { env: { WORKOS_WEBHOOK_SECRET: SECRET } })).code,
    ).toBe(2);
    const pk = await cli(['replay', '--url', 'http://127.0.0.1:1'], { env: { ...env, WORKOS_API_KEY: 'pk_test_123' } });
    expect(pk.code).toBe(2);
    expect(pk.stderr).toContain('publishable');
  });

  it('Ctrl-C (abort) stops between deliveries, prints the summary and exits 130', async () => {
    await withEndpoint(async (endpoint) => {
      const controller = new AbortController();
      const run = cli(['replay', '--since', '1h', '--url', endpoint.url, '--base-url', api.url, '--rate', '10'], {
        env,
        signal: controller.signal,
      });
      await new Promise((resolve) => setTimeout(resolve, 250));
      controller.abort();
      const result = await run;
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('Interrupted.');
      const delivered = Number(/Replayed (\d+) of 9/.exec(result.stdout)?.[1]);
      expect(delivered).toBeGreaterThan(0);
      expect(delivered).toBeLessThan(9);
      expect(endpoint.received).toHaveLength(delivered);
    });
  });

  it('the --after hint names the last event delivered: following it never skips one that was not', async () => {
    await withEndpoint(async (endpoint) => {
      // The endpoint answers three deliveries, then stops answering (the app went down).
      let answered = 0;
      const flaky: typeof fetch = async (input, init) => {
        const url = String(input);
        if (url.startsWith(api.url)) return fetch(input, init);
        if (answered === 3) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
        answered++;
        return fetch(input, init);
      };
      const run = async (after: string | undefined, io: { fetch?: typeof fetch }) => {
        const stdout = new PassThrough();
        let text = '';
        stdout.on('data', (d: Buffer) => {
          text += d.toString();
        });
        const code = await replayCommand(
          { url: endpoint.url, baseUrl: api.url, rate: 0, progress: false, ...(after ? { after } : {}) },
          { stdout, stderr: new PassThrough(), stdin: Readable.from([]), env, ...io },
        );
        return { code, text };
      };
      const first = await run(undefined, { fetch: flaky });
      expect(first.code).toBe(3);
      expect(first.text).toContain(`Last event delivered: ${events[2]!.id} (continue with --after ${events[2]!.id})`);
      const hint = /continue with --after (\S+)\)/.exec(first.text)?.[1];
      expect(hint).toBe(events[2]!.id);

      const rest = await run(hint, {});
      expect(rest.code).toBe(0);
      // Every event reached the endpoint once across both runs: nothing skipped.
      expect(endpoint.received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    });
  });

  it('with refusals, the hint resumes before the first refused event', async () => {
    const refuse = events[4]!.id;
    const picky: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.startsWith(api.url)) return fetch(input, init);
      const id = (JSON.parse(String(init?.body)) as { id: string }).id;
      return id === refuse ? new Response('{"code":"handler_failed"}', { status: 500 }) : new Response('{}');
    };
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const code = await replayCommand(
      { url: 'http://127.0.0.1:1/webhooks', since: '1h', baseUrl: api.url, rate: 0, progress: false },
      { stdout, stderr: new PassThrough(), stdin: Readable.from([]), env, fetch: picky },
    );
    expect(code).toBe(1);
    expect(text).toContain(`Last event delivered: ${events[8]!.id}`);
    expect(text).toContain(`continue with --after ${events[3]!.id}`);
    expect(text).not.toContain(`--after ${events[8]!.id}`);
  });

  it('skips an item that does not parse: said on stderr and in the summary, the others are delivered', async () => {
    const poison = { ...createTestEvent('user.created'), data: null, context: { token: 'sk_live_replay_poison_3e' } };
    const good = [createTestEvent('user.created'), createTestEvent('user.created')];
    const poisoned = await createFakeWorkOSApi({ apiKey: API_KEY, events: [good[0]!, poison as never, good[1]!] });
    try {
      await withEndpoint(async (endpoint) => {
        const args = ['replay', '--since', '1h', '--events', 'user.created', '--rate', '0'];
        const result = await cli([...args, '--url', endpoint.url, '--base-url', poisoned.url], { env });
        expect(result.code, result.stderr).toBe(0);
        expect(endpoint.received.map((e) => e.id)).toEqual(good.map((e) => e.id));
        expect(result.stderr).toContain(`Skipped an invalid Events API item ${poison.id} (invalid_payload)`);
        expect(result.stdout).toContain('1 invalid item(s) skipped');
        expectNoSecrets(result, 'sk_live_replay_poison_3e');
      });
    } finally {
      await poisoned.close();
    }
  });

  it('draws a progress bar on a terminal', async () => {
    await withEndpoint(async (endpoint) => {
      const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
      let drawn = '';
      stderr.on('data', (d: Buffer) => {
        drawn += d.toString();
      });
      const stdout = new PassThrough();
      const code = await replayCommand(
        { url: endpoint.url, since: '1h', baseUrl: api.url, rate: 0, progress: true },
        { stdout, stderr, stdin: Readable.from([]), env },
      );
      expect(code).toBe(0);
      expect(drawn).toMatch(/replay \[[█░]+\] 9\/9 events \| 9 ok, 0 not 2xx/);
    });
  });
});
