/**
 * scripts/check-peers.mjs (run by .ci/run on the real tarball next to the latest of every peer) fails on ERESOLVE
 * and passes otherwise, shown on a one-peer fixture package so that only ioredis's metadata is fetched: its old
 * range `^5.0.0` next to `ioredis@latest` (6 or newer) is the issue's `npm install workos-events ioredis`.
 * Needs the npm registry (or a warm npm cache): locally an unreachable registry skips with a message; CI fails.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../examples/helpers.js';
import { makeProject, npm, npmEnv } from './helpers.js';

const SCRIPT = path.join(REPO, 'scripts/check-peers.mjs');
const NETWORK = /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|ECONNRESET|network/i;
const work = makeProject('workos-events-peer-fixture-');

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Packs a package whose only peer is an optional `ioredis@<range>`; returns the tarball path. */
async function fixture(range: string): Promise<string> {
  const dir = path.join(work, `pkg-${range.replace(/\W+/g, '_')}`);
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: 'peer-fixture',
    version: '1.0.0',
    peerDependencies: { ioredis: range },
    peerDependenciesMeta: { ioredis: { optional: true } },
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  const out = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], dir);
  return path.join(dir, (JSON.parse(out) as [{ filename: string }])[0].filename);
}

async function checkPeers(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args], {
      env: npmEnv(),
      timeout: 120_000,
    });
    return { code: 0, output: `${stdout}\n${stderr}` };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, output: `${e.stdout ?? ''}\n${e.stderr ?? ''}` };
  }
}

/** Locally, a registry we cannot reach skips the test with a visible message; under CI=true it is a failure. */
function skipIfOffline(result: { code: number; output: string }, skip: (note: string) => void): void {
  if (result.code === 0 || !NETWORK.test(result.output) || process.env.CI === 'true') return;
  console.warn(`[check-peers test] skipping: the npm registry is not reachable:\n${result.output.slice(0, 400)}`);
  skip('npm registry not reachable');
}

describe('scripts/check-peers.mjs', () => {
  it('fails with ERESOLVE when a peer range excludes the latest major (ioredis ^5 next to ioredis@latest)', async (ctx) => {
    const result = await checkPeers(['--tarball', await fixture('^5.0.0')]);
    skipIfOffline(result, ctx.skip);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(/ERESOLVE/);
    expect(result.output).toMatch(/peerOptional ioredis@"\^5\.0\.0"/);
    expect(result.output).toMatch(/check-peers: FAILED/);
  }, 150_000);

  it('passes when the range accepts the latest, and reports the version npm picked', async (ctx) => {
    const result = await checkPeers(['--tarball', await fixture('>=5.0.0')]);
    skipIfOffline(result, ctx.skip);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/add ioredis (\d+)\./);
    expect(Number(/add ioredis (\d+)\./.exec(result.output)?.[1])).toBeGreaterThanOrEqual(6);
    expect(result.output).toMatch(/check-peers: ok, no ERESOLVE/);
  }, 150_000);

  it('--peer pins one peer: the old range installs next to ioredis@5', async (ctx) => {
    const result = await checkPeers(['--tarball', await fixture('^5.0.0'), '--peer', 'ioredis@5']);
    skipIfOffline(result, ctx.skip);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/add ioredis 5\./);
  }, 150_000);

  it('refuses a --peer that is not a peer dependency, and unknown arguments (exit 2)', async () => {
    const tarball = await fixture('^5.0.0');
    const notPeer = await checkPeers(['--tarball', tarball, '--peer', 'left-pad@1']);
    expect(notPeer).toMatchObject({ code: 2, output: expect.stringMatching(/left-pad is not a peer dependency/) });
    const bogus = await checkPeers(['--bogus']);
    expect(bogus).toMatchObject({ code: 2, output: expect.stringMatching(/unknown argument --bogus/) });
  }, 60_000);
});
