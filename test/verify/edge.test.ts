/**
 * The edge build: bundles src/verify/index.ts and src/webhook/index.ts the way tsup builds dist/edge (the `edge-siblings` plugin tsup.config.ts
 * uses, platform neutral), then proves the bundle has no `node:` import, verifies with WebCrypto, and that
 * its sync functions fail with `sync_unavailable` pointing to the async ones.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeSiblings } from '../../scripts/edge-siblings.js';
import { caught, eventBody, NOW, SECRET } from './fixtures.js';

type EdgeModule = typeof import('../../src/verify/index.js') & typeof import('../../src/webhook/index.js');

const dir = path.resolve('.tmp', `verify-edge-${process.pid}`);
let code = '';
let edge: EdgeModule;

beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: "export * from './src/verify/index.ts'; export * from './src/webhook/index.ts';",
      resolveDir: path.resolve('.'),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['zod'],
    plugins: [edgeSiblings],
    logLevel: 'silent',
  });
  code = result.outputFiles[0]!.text;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'index.mjs');
  writeFileSync(file, code);
  edge = (await import(pathToFileURL(file).href)) as EdgeModule;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('edge build of the verifier', () => {
  it('contains no node: import and no node:crypto use', () => {
    expect(code).not.toMatch(/from\s*["']node:/);
    expect(code).not.toMatch(/require\(\s*["']node:/);
    expect(code).not.toContain('createHmac');
    expect(code).toContain('subtle');
  });

  it('verifies asynchronously with WebCrypto (string and bytes)', async () => {
    const signature = await edge.signWorkOSWebhookAsync({ payload: eventBody, secret: SECRET, timestamp: NOW });
    const event = await edge.verifyWorkOSWebhook({ payload: eventBody, signature, secret: SECRET, now: () => NOW });
    expect(event.event).toBe('dsync.user.created');
    expect(
      await edge.verifyWorkOSSignature({
        payload: new TextEncoder().encode(eventBody),
        signature,
        secret: ['whsec_next', SECRET],
        now: () => NOW,
      }),
    ).toEqual({ timestamp: NOW, secretIndex: 1 });
  });

  it("reads a seconds t (WorkOS's CLI emulator) by default and refuses it with timestampUnit 'ms'", async () => {
    const signature = await edge.signWorkOSWebhookAsync({
      payload: eventBody,
      secret: SECRET,
      timestamp: NOW,
      timestampUnit: 's',
    });
    expect(signature).toMatch(/^t=\d{10}, v1=/);
    const input = { payload: eventBody, signature, secret: SECRET, now: () => NOW };
    expect(await edge.verifyWorkOSSignature(input)).toEqual({
      timestamp: Math.floor(NOW / 1000) * 1000,
      secretIndex: 0,
    });
    expect((await edge.verifyWorkOSWebhook(input)).event).toBe('dsync.user.created');
    const err = (await caught(() => edge.verifyWorkOSWebhook({ ...input, timestampUnit: 'ms' }))) as Error;
    expect((err as unknown as { code: string }).code).toBe('timestamp_too_old');
    expect(err.message).toContain('looks like seconds');
  });

  it('the sync functions throw sync_unavailable and name the async one (Stripe-style)', async () => {
    const signature = await edge.signWorkOSWebhookAsync({ payload: eventBody, secret: SECRET, timestamp: NOW });
    const input = { payload: eventBody, signature, secret: SECRET, now: () => NOW };
    const cases: [() => unknown, RegExp][] = [
      [() => edge.verifyWorkOSWebhookSync(input), /Use `await verifyWorkOSWebhook\(\.\.\.\)` instead/],
      [() => edge.verifyWorkOSSignatureSync(input), /Use `await verifyWorkOSSignature\(\.\.\.\)` instead/],
      [() => edge.signWorkOSWebhook({ payload: eventBody, secret: SECRET }), /await signWorkOSWebhookAsync/],
    ];
    for (const [fn, message] of cases) {
      const err = (await caught(fn)) as { code: string; status: number; message: string; name: string };
      expect(err.name).toBe('WorkOSWebhookError');
      expect(err.code).toBe('sync_unavailable');
      expect(err.status).toBe(500);
      expect(err.message).toMatch(message);
    }
  });
});
