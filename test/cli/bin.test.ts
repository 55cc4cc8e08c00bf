import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { signWorkOSWebhook } from '../../src/verify/index.js';
import { ROOT } from './helpers.js';

// The published bin: ESM with commander and cli-progress bundled in (CommonJS inside ESM). CI builds before testing;
// locally the check runs only when dist/ is newer than the CLI sources.
const bin = path.join(ROOT, packageJson.bin['workos-events']);
const sources = path.join(ROOT, 'src/cli');
const newest = Math.max(...readdirSync(sources).map((f) => statSync(path.join(sources, f)).mtimeMs));
const fresh = existsSync(bin) && statSync(bin).mtimeMs >= newest;
const inCI = process.env.CI === 'true';
if (!fresh && !inCI)
  console.warn(`skipping the built-bin test: ${bin} is missing or older than src/cli (run npm run build)`);

function run(args: string[], input?: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

describe.runIf(fresh || inCI)('built bin (dist/cli/main.js)', () => {
  it('starts, prints its version and help, and verifies a delivery', async () => {
    const version = await run(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(packageJson.version);
    const help = await run(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--rate <per-second>');

    const body = '{"id":"event_01","event":"user.created","data":{},"created_at":"2024-01-01T00:00:00.000Z"}';
    const signature = signWorkOSWebhook({ payload: body, secret: 'whsec_test' });
    const ok = await run(['verify', '--signature', signature], body, { WORKOS_WEBHOOK_SECRET: 'whsec_test' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('✔ Valid delivery');
    const bad = await run(['verify', '--signature', signature, '--secret', 'whsec_other'], body);
    expect(bad.code).toBe(1);
  });
});
