import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { withDotEnv } from '../../src/cli/env.js';
import { redact } from '../../src/cli/io.js';
import { cli, spawnCli } from './helpers.js';

describe('workos-events (program)', () => {
  it('--help lists the commands, examples, environment and exit codes (exit 0)', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const text of [
      'send',
      'replay',
      'tail',
      'verify',
      'doctor',
      'Examples:',
      'WORKOS_API_KEY',
      'Exit codes:',
      '130',
    ]) {
      expect(result.stdout).toContain(text);
    }
    for (const command of ['send', 'replay', 'tail', 'verify', 'doctor']) {
      const help = await cli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: workos-events ${command}`);
      expect(help.stdout).toContain('$ workos-events');
    }
  });

  it('--version prints the package version', async () => {
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(packageJson.version);
  });

  it('usage errors exit 2 with a hint', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const option = await cli(['doctor', '--frob']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('--help');
    for (const argv of [
      ['doctor', '--base-url', 'not a url'],
      ['doctor', '--url', 'ftp://example.test/x'],
      ['send', 'user.created', '--url', 'localhost:3000', '--secret', 'whsec_x'],
      ['tail', '--base-url', 'nope'],
      ['replay', '--url', 'http://127.0.0.1:1', '--base-url', '::'],
    ]) {
      const bad = await cli(argv, { env: { WORKOS_API_KEY: 'sk_test_x', WORKOS_WEBHOOK_SECRET: 'whsec_x' } });
      expect(bad.code, argv.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/is not a URL|must be an http\(s\) URL/);
    }
    const missingEnvFile = await cli(['--env-file', '/nonexistent/.env', 'doctor']);
    expect(missingEnvFile.code).toBe(2);
    expect(missingEnvFile.stderr).toContain('env file not found');
  });

  it('a real process exits 2 on a usage error and 0 on --help', async () => {
    expect((await spawnCli(['tail', '--format', 'xml']).done).code).toBe(2);
    const help = await spawnCli(['--help']).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: workos-events');
  });
});

describe('.env and redaction', () => {
  it('.env values fill in; the real environment wins; --env-file picks another file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'workos-env-'));
    try {
      await writeFile(path.join(dir, '.env'), 'WORKOS_API_KEY=sk_test_from_file\nWORKOS_WEBHOOK_SECRET="whsec file"\n');
      await writeFile(path.join(dir, 'other.env'), 'WORKOS_API_KEY=sk_test_other\n');
      expect(withDotEnv({}, dir)).toEqual({ WORKOS_API_KEY: 'sk_test_from_file', WORKOS_WEBHOOK_SECRET: 'whsec file' });
      expect(withDotEnv({ WORKOS_API_KEY: 'sk_test_env' }, dir).WORKOS_API_KEY).toBe('sk_test_env');
      expect(withDotEnv({}, dir, 'other.env')).toEqual({ WORKOS_API_KEY: 'sk_test_other' });
      expect(withDotEnv({ A: '1' }, path.join(dir, 'missing'))).toEqual({ A: '1' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('redact replaces secrets inside messages with their masked form', () => {
    expect(redact('key sk_test_0123456789abcdef failed', ['sk_test_0123456789abcdef'])).toBe(
      'key sk_test_****cdef failed',
    );
    expect(redact('nothing here', [undefined, ''])).toBe('nothing here');
  });
});
