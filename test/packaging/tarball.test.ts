/**
 * The packed tarball in a project that has neither vitest nor fast-check (a Jest or node:test project): one
 * `npm pack`, one `npm install <tgz>` (zod comes from the npm cache or the registry), then every subpath of
 * `exports` through import() and require().
 * - `workos-events/testing` and every other subpath load; the test kit works (event, signature, fake Events API)
 *   and its compliance suite runs under node:test, failing on a broken store.
 * - `workos-events/testing/fast-check` and `/testing/vitest` need their peer: loading them without it fails with
 *   Node's "Cannot find package 'fast-check'" / "'vitest'" (the documented behaviour), and with fast-check
 *   present the arbitraries work from the tarball.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../examples/helpers.js';
import { makeProject, npm, packLibrary } from './helpers.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
// Subpaths that import their peer at runtime (the others import only its types). bullmq's Worker and error classes
// are values; pg-boss is passed in by the user, so ./queues/pg-boss loads without it.
const NEEDS_PEER: Record<string, string> = {
  './testing/fast-check': 'fast-check',
  './testing/vitest': 'vitest',
  './queues/bullmq': 'bullmq',
};

type Probe = Record<string, { ok: true; exports: string[] } | { ok: false; code?: string; message: string }>;

let project: string;
let tarball: string;

async function node(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: project,
      env: { PATH: process.env.PATH, ...env } as Record<string, string | undefined> as NodeJS.ProcessEnv,
      timeout: 120_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: `${e.stdout ?? ''}\n${e.stderr ?? ''}` };
  }
}

async function probe(mode: 'esm' | 'cjs'): Promise<Probe> {
  const { code, stdout } = await node(['probe.mjs', mode]);
  expect(code, stdout).toBe(0);
  return JSON.parse(stdout) as Probe;
}

beforeAll(async () => {
  tarball = await packLibrary();
  project = makeProject('workos-events-consumer-');
  for (const file of ['probe.mjs', 'smoke.mjs', 'arbitraries.mjs', 'compliance-node-test.mjs'])
    cpSync(path.join(FIXTURES, file), path.join(project, file));
  await npm(['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline'], project);
}, 240_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  if (tarball) rmSync(path.dirname(tarball), { recursive: true, force: true });
});

describe('the packed tarball in a project without vitest or fast-check', () => {
  it('installed only zod next to it: vitest and fast-check cannot be resolved from the project', () => {
    const require = createRequire(path.join(project, 'package.json'));
    expect(require.resolve('workos-events')).toContain(path.join(project, 'node_modules', 'workos-events'));
    for (const peer of ['vitest', 'fast-check']) expect(() => require.resolve(peer), peer).toThrow(/Cannot find/);
    const installed = JSON.parse(readFileSync(path.join(project, 'node_modules/workos-events/package.json'), 'utf8'));
    expect(installed.exports).toEqual(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).exports);
  });

  for (const mode of ['esm', 'cjs'] as const) {
    it(`${mode}: every subpath loads, except those that need their peer, which name it`, async () => {
      const results = await probe(mode);
      expect(Object.keys(results)).toEqual(expect.arrayContaining(['.', './testing', ...Object.keys(NEEDS_PEER)]));
      for (const [subpath, result] of Object.entries(results)) {
        const peer = NEEDS_PEER[subpath];
        if (!peer) {
          expect(result, `${subpath}: ${JSON.stringify(result)}`).toMatchObject({ ok: true });
          continue;
        }
        expect(result.ok, subpath).toBe(false);
        if (result.ok) continue;
        expect(result.code).toBe(mode === 'esm' ? 'ERR_MODULE_NOT_FOUND' : 'MODULE_NOT_FOUND');
        // The missing piece is the peer package, not a file of ours the tarball forgot.
        expect(result.message).toMatch(new RegExp(`^Cannot find (package|module) '${peer}'`));
      }
      const testing = results['./testing'];
      expect(testing?.ok && testing.exports).toEqual(
        expect.arrayContaining([
          'createTestEvent',
          'signWorkOSWebhook',
          'signWorkOSWebhookAsync',
          'createFakeWorkOSApi',
          'createFakeEventGenerator',
          'describeIdempotencyStore',
        ]),
      );
      expect(testing?.ok && testing.exports).not.toContain('arbitraryWorkOSEvent');
    });

    it(`${mode}: the test kit works: a realistic event, signed, verified, and listed from the fake Events API`, async () => {
      const { code, stdout } = await node(['smoke.mjs', mode]);
      expect(code, stdout).toBe(0);
      const result = JSON.parse(stdout) as { id: string; verified: string; email: string; listed: string[] };
      expect(result.id).toMatch(/^event_/);
      expect(result).toEqual({ id: result.id, verified: result.id, email: 'ada@example.com', listed: [result.id] });
    });
  }

  it('the compliance suite runs under node:test and passes for MemoryIdempotencyStore', async () => {
    const { code, stdout } = await node(['--test', '--test-reporter=tap', 'compliance-node-test.mjs']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/IdempotencyStore compliance: MemoryIdempotencyStore/);
    expect(Number(/^# pass (\d+)$/m.exec(stdout)?.[1])).toBeGreaterThanOrEqual(20);
    expect(stdout).toMatch(/^# fail 0$/m);
  });

  it('the compliance suite under node:test fails a store without token fencing, saying which check', async () => {
    const { code, stdout } = await node(['--test', '--test-reporter=tap', 'compliance-node-test.mjs'], {
      WORKOS_EVENTS_BROKEN_STORE: '1',
    });
    expect(code, stdout).not.toBe(0);
    expect(Number(/^# fail (\d+)$/m.exec(stdout)?.[1])).toBeGreaterThan(0);
    expect(stdout).toMatch(/not ok \d+ - refuses complete and release with a wrong token while the lease is live/);
    expect(stdout).toMatch(/complete with a wrong token/);
  });

  it('with fast-check installed, workos-events/testing/fast-check works from the tarball (esm and cjs)', async () => {
    // The repository's own copy stands in for `npm install -D fast-check` (same package, no second download).
    const link = path.join(project, 'node_modules', 'fast-check');
    if (!existsSync(link)) symlinkSync(path.join(REPO, 'node_modules', 'fast-check'), link, 'dir');
    for (const mode of ['esm', 'cjs']) {
      const { code, stdout } = await node(['arbitraries.mjs', mode]);
      expect(code, `${mode}: ${stdout}`).toBe(0);
      const result = JSON.parse(stdout) as { sampled: number; types: number };
      expect(result.sampled).toBe(25);
      expect(result.types).toBeGreaterThan(1);
    }
  });
});
