import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkApiKey, checkWebhookSecret } from '../../src/cli/doctor.js';
import { mask } from '../../src/cli/io.js';
import { createFakeWorkOSApi, type FakeWorkOSApi } from '../../src/testing/index.js';
import {
  API_KEY,
  cli,
  deadUrl,
  type Endpoint,
  expectNoSecrets,
  SECRET,
  spawnCli,
  startEndpoint,
  startStaticEndpoint,
} from './helpers.js';

let api: FakeWorkOSApi;
let endpoint: Endpoint;
beforeAll(async () => {
  api = await createFakeWorkOSApi({ apiKey: API_KEY });
  endpoint = await startEndpoint();
});
afterAll(async () => {
  await api.close();
  await endpoint.close();
});

const good = { WORKOS_API_KEY: API_KEY, WORKOS_WEBHOOK_SECRET: SECRET };
const lineOf = (out: string, name: string) => out.split('\n').find((l) => l.includes(name)) ?? '';

describe('workos-events doctor', () => {
  it('all checks pass against the fake API and a verifying endpoint (exit 0)', async () => {
    const result = await cli(['doctor', '--base-url', api.url, '--url', endpoint.url], { env: good });
    expect(result.code, result.stdout).toBe(0);
    for (const name of [
      'WORKOS_API_KEY',
      'WORKOS_WEBHOOK_SECRET',
      'Clock skew',
      'Events API access',
      'Endpoint refuses unsigned',
    ]) {
      expect(lineOf(result.stdout, name)).toMatch(/^✔/);
    }
    expect(lineOf(result.stdout, 'Events API access')).toContain('answered 200');
    expect(lineOf(result.stdout, 'Endpoint refuses')).toContain('answered 401');
    expect(result.stdout).toContain('All 5 checks passed.');
    expectNoSecrets(result, API_KEY, SECRET);
    expect(endpoint.received).toHaveLength(0);
  });

  it('a publishable key, a secret with a trailing newline, and a 401 from the API each fail with a fix (exit 1)', async () => {
    const pk = await cli(['doctor', '--base-url', api.url], {
      env: { WORKOS_API_KEY: 'pk_test_abcdefghijklmnop', WORKOS_WEBHOOK_SECRET: `${SECRET}\n` },
    });
    expect(pk.code).toBe(1);
    expect(lineOf(pk.stdout, 'WORKOS_API_KEY')).toMatch(/^✘.*publishable key/);
    expect(pk.stdout).toContain('starts with sk_');
    expect(lineOf(pk.stdout, 'WORKOS_WEBHOOK_SECRET')).toMatch(/^✘.*whitespace/);
    expect(lineOf(pk.stdout, 'Events API access')).toMatch(/^✘.*skipped/);
    expectNoSecrets(pk, 'pk_test_abcdefghijklmnop', SECRET);

    const wrong = await cli(['doctor', '--base-url', api.url], {
      env: { WORKOS_API_KEY: 'sk_test_revoked_key_123', WORKOS_WEBHOOK_SECRET: SECRET },
    });
    expect(wrong.code).toBe(1);
    expect(lineOf(wrong.stdout, 'Events API access')).toMatch(/^✘.*401/);
    expect(wrong.stdout).toContain('another environment');
    expect(lineOf(wrong.stdout, 'Clock skew')).toMatch(/^✔/); // the Date header is read from the 401 too
    expect(wrong.stdout).toContain('1 of 4 checks failed.');
    expectNoSecrets(wrong, 'sk_test_revoked_key_123');
  });

  it('missing variables fail with where to get them', async () => {
    const result = await cli(['doctor', '--base-url', api.url]);
    expect(result.code).toBe(1);
    expect(lineOf(result.stdout, 'WORKOS_API_KEY')).toMatch(/^✘.*not set/);
    expect(lineOf(result.stdout, 'WORKOS_WEBHOOK_SECRET')).toMatch(/^✘.*not set/);
  });

  it('measures clock skew against the Date header', async () => {
    const ahead = await cli(['doctor', '--base-url', api.url], { env: good, now: () => Date.now() + 120_000 });
    expect(ahead.code).toBe(1);
    expect(lineOf(ahead.stdout, 'Clock skew')).toMatch(/^✘.*1[12]\d\.\d s ahead of WorkOS's/);
    expect(ahead.stdout).toContain('timedatectl set-ntp true');
    const behind = await cli(['doctor', '--base-url', api.url, '--max-skew', '300'], {
      env: good,
      now: () => Date.now() - 120_000,
    });
    expect(behind.code).toBe(0);
    expect(lineOf(behind.stdout, 'Clock skew')).toMatch(/^✔.*behind WorkOS/);
  });

  it('flags endpoints that accept unsigned requests, have no route, or crash', async () => {
    const open = await startStaticEndpoint(200);
    const crash = await startStaticEndpoint(500);
    const parses = await startStaticEndpoint(400);
    try {
      const cases: [string, RegExp][] = [
        [open.url, /anyone can forge events/],
        [crash.url, /crashed on a request without a signature/],
        [parses.url, /before checking the signature/],
        [endpoint.url.replace('/webhooks/workos', '/wrong'), /No webhook route/],
        [await deadUrl(), /Is the app running/],
      ];
      for (const [url, fix] of cases) {
        const result = await cli(['doctor', '--base-url', api.url, '--url', url], { env: good });
        expect(result.code, url).toBe(1);
        expect(lineOf(result.stdout, 'Endpoint refuses')).toMatch(/^✘/);
        expect(result.stdout).toMatch(fix);
      }
    } finally {
      await open.close();
      await crash.close();
      await parses.close();
    }
  });

  it('an unreachable API fails both API checks', async () => {
    const result = await cli(['doctor', '--base-url', (await deadUrl()).replace('/webhooks/workos', '')], {
      env: good,
    });
    expect(result.code).toBe(1);
    expect(lineOf(result.stdout, 'Clock skew')).toMatch(/^✘.*cannot reach.*ECONNREFUSED/);
    expect(lineOf(result.stdout, 'Events API access')).toMatch(/^✘.*cannot reach/);
  });

  it('runs as a real process and exits non-zero on a failure', async () => {
    const ok = await spawnCli(['doctor', '--base-url', api.url, '--url', endpoint.url], { env: good }).done;
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const bad = await spawnCli(['doctor', '--base-url', api.url], { env: { WORKOS_API_KEY: API_KEY } }).done;
    expect(bad.code).toBe(1);
    expectNoSecrets(ok, API_KEY, SECRET);
  });
});

describe('checks and masking', () => {
  it('api key shapes', () => {
    expect(checkApiKey('sk_live_0123456789abcdef').ok).toBe(true);
    expect(checkApiKey('client_01H').ok).toBe(false);
    expect(checkApiKey(' sk_test_0123456789 ').detail).toContain('whitespace');
  });

  it('webhook secret shapes', () => {
    expect(checkWebhookSecret('whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4').ok).toBe(true);
    expect(checkWebhookSecret('"whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4"').detail).toContain('quote');
    expect(checkWebhookSecret('sk_test_0123456789abcdef').detail).toContain('API key');
  });

  it('mask keeps the prefix and the last 4 characters only', () => {
    expect(mask('sk_test_0123456789abcdef')).toBe('sk_test_****cdef');
    expect(mask('whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4')).toBe('whsec_****GBJ4');
    expect(mask('short')).toBe('****');
    expect(mask('sk_test_fake')).toBe('sk_test_****');
    // Only the known WorkOS prefixes are shown: the start of a secret that merely looks prefixed stays hidden.
    expect(mask('production_Xy7Qa9Lm2Pq8Zr4T')).toBe('****Zr4T');
    expect(mask('mysecret_0123456789abcdef')).toBe('****cdef');
  });
});
