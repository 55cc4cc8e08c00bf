import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTolerance } from '../../src/cli/verify.js';
import { createTestEvent } from '../../src/testing/index.js';
import { signWorkOSWebhook } from '../../src/verify/index.js';
import { cli, expectNoSecrets, SECRET, spawnCli } from './helpers.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const now = () => NOW;
const body = JSON.stringify(createTestEvent('dsync.user.updated'));
const sign = (payload: string, t = NOW, secret = SECRET) => signWorkOSWebhook({ payload, secret, timestamp: t });
const env = { WORKOS_WEBHOOK_SECRET: SECRET };

describe('workos-events verify', () => {
  it('accepts a genuine delivery and names the event (exit 0)', async () => {
    const result = await cli(['verify', '--signature', sign(body)], { env, stdin: body, now });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✔ Valid delivery');
    expect(result.stdout).toMatch(/event: +dsync\.user\.updated event_/);
    expect(result.stdout).toContain('signed at: 2026-06-01T12:00:00.000Z');
    expectNoSecrets(result, SECRET);
  });

  it('accepts a genuine BOM-prefixed delivery, as verifyWorkOSWebhook does', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    const signature = signWorkOSWebhook({ payload: bom, secret: SECRET, timestamp: NOW });
    const result = await cli(['verify', '--signature', signature], { env, stdin: bom, now });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/event: +dsync\.user\.updated event_/);
  });

  it('wrong secret: says so, with where to find the right one and the raw-body hint (exit 1)', async () => {
    const result = await cli(['verify', '--signature', sign(body, NOW, 'whsec_other_secret_value')], {
      env,
      stdin: body,
      now,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('does not match this body under this secret');
    expect(result.stdout).toContain('each webhook endpoint has its own');
    expect(result.stdout).toContain('exact bytes');
  });

  it('diagnoses a trailing newline added to the captured body', async () => {
    const result = await cli(['verify', '--signature', sign(body)], { env, stdin: `${body}\n`, now });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('without the trailing newline');
  });

  it('diagnoses a re-serialized (pretty-printed) body', async () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const result = await cli(['verify', '--signature', sign(body)], { env, stdin: pretty, now });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('compact re-serialization');
    expect(result.stdout).toContain('express.json()');
  });

  it('diagnoses whitespace around the secret', async () => {
    const result = await cli(['verify', '--signature', sign(body)], {
      env: { WORKOS_WEBHOOK_SECRET: `${SECRET}\n` },
      stdin: body,
      now,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('whitespace is removed from the secret');
  });

  it('old timestamp: the signature is genuine but too old; explains replay protection and clock skew', async () => {
    const signature = sign(body, NOW - 10 * 60_000);
    const result = await cli(['verify', '--signature', signature], { env, stdin: body, now });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('genuine');
    expect(result.stdout).toContain('10.0 min ago, beyond the 5.0 min tolerance');
    expect(result.stdout).toContain('clock');
    const tolerant = await cli(['verify', '--signature', signature, '--tolerance', '15m'], { env, stdin: body, now });
    expect(tolerant.code).toBe(0);
    const seconds = await cli(['verify', '--signature', signature, '--tolerance', '900'], { env, stdin: body, now });
    expect(seconds.code).toBe(0);
  });

  it('future timestamp: points at this clock', async () => {
    const result = await cli(['verify', '--signature', sign(body, NOW + 20 * 60_000)], { env, stdin: body, now });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('in the future');
    expect(result.stdout).toContain('NTP');
  });

  it('a timestamp in seconds (the CLI emulator) is accepted and named; --timestamp-unit ms refuses it', async () => {
    const signature = signWorkOSWebhook({ payload: body, secret: SECRET, timestamp: NOW, timestampUnit: 's' });
    const result = await cli(['verify', '--signature', signature], { env, stdin: body, now });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('signed at: 2026-06-01T12:00:00.000Z');
    expect(result.stdout).toContain("t unit:    seconds (as WorkOS's CLI emulator signs");
    const strict = await cli(['verify', '--signature', signature, '--timestamp-unit', 'ms'], { env, stdin: body, now });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('looks like seconds');
    const ms = await cli(['verify', '--signature', sign(body)], { env, stdin: body, now });
    expect(ms.stdout).toContain('t unit:    milliseconds (as WorkOS signs)');
    const onlySeconds = await cli(['verify', '--signature', sign(body), '--timestamp-unit', 's'], {
      env,
      stdin: body,
      now,
    });
    expect(onlySeconds.code).toBe(1);
    expect(onlySeconds.stdout).toContain('looks like milliseconds');
    const bad = await cli(['verify', '--signature', signature, '--timestamp-unit', 'sec'], { env, stdin: body, now });
    expect(bad.code).toBe(2);
  });

  it('malformed and empty headers, empty body, non-event body', async () => {
    const malformed = await cli(['verify', '--signature', 'v1=abc'], { env, stdin: body, now });
    expect(malformed.code).toBe(1);
    expect(malformed.stdout).toContain('Expected format');
    const empty = await cli(['verify', '--signature', ' '], { env, stdin: body, now });
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain('The signature is empty');
    const noBody = await cli(['verify', '--signature', sign('')], { env, stdin: '', now });
    expect(noBody.code).toBe(1);
    expect(noBody.stdout).toContain('The body is empty');
    const notEvent = await cli(['verify', '--signature', sign('{"hello":1}')], { env, stdin: '{"hello":1}', now });
    expect(notEvent.code).toBe(1);
    expect(notEvent.stdout).toContain('not a WorkOS event');
  });

  it('usage errors exit 2: no secret, no signature, bad tolerance', async () => {
    expect((await cli(['verify', '--signature', sign(body)], { stdin: body })).code).toBe(2);
    expect((await cli(['verify'], { env, stdin: body })).code).toBe(2);
    expect((await cli(['verify', '--signature', sign(body), '--tolerance', 'soon'], { env, stdin: body })).code).toBe(
      2,
    );
    expect(parseTolerance(undefined)).toBe(300_000);
    expect(parseTolerance('180')).toBe(180_000);
    expect(parseTolerance('2m')).toBe(120_000);
  });

  it('reads standard input in a real process, and --body-file', async () => {
    const fresh = sign(body, Date.now());
    const piped = await spawnCli(['verify', '--signature', fresh], { env, stdin: body }).done;
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toContain('✔ Valid delivery');
    const bad = await spawnCli(['verify', '--signature', fresh, '--secret', 'whsec_nope_nope_nope'], { stdin: body })
      .done;
    expect(bad.code).toBe(1);
    expectNoSecrets(bad, 'whsec_nope_nope_nope');

    const dir = await mkdtemp(path.join(tmpdir(), 'workos-verify-'));
    try {
      const file = path.join(dir, 'body.json');
      await writeFile(file, body);
      const fromFile = await cli(['verify', '--signature', sign(body), '--body-file', file], { env, now });
      expect(fromFile.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
