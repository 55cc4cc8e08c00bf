/**
 * examples/custom-store: runs the example's own test file, as its README tells users to (`npm test`, i.e. vitest with
 * `describeIdempotencyStore` from `workos-events/testing/vitest`), in a child vitest, and checks every compliance test ran
 * and passed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { prepareExample, REPO } from './helpers.js';

const VITEST = path.join(REPO, 'node_modules/vitest/vitest.mjs');

it('the built test kit imports vitest and fast-check instead of bundling copies (a copy cannot register tests)', () => {
  prepareExample('custom-store');
  for (const [file, peer] of [
    ['dist/testing/vitest.js', 'vitest'],
    ['dist/testing/fast-check.js', 'fast-check'],
    ['dist/node/testing/vitest.js', 'vitest'],
    ['dist/node/testing/fast-check.js', 'fast-check'],
  ] as const) {
    const kit = readFileSync(path.join(REPO, file), 'utf8');
    // A bundled copy shows up as inlined modules; describe() from a copy of vitest throws "reading 'config'".
    expect(kit.includes('// node_modules/'), `mark ${peer} external in tsup.config.ts`).toBe(false);
    expect(kit).toMatch(new RegExp(`from ['"]${peer}['"]`));
  }
});

it('KvIdempotencyStore passes the idempotency-store compliance suite', async () => {
  const dir = prepareExample('custom-store');
  const tmp = mkdtempSync(path.join(tmpdir(), 'workos-events-custom-store-'));
  const report = path.join(tmp, 'report.json');
  try {
    await promisify(execFile)(
      process.execPath,
      [VITEST, 'run', '--root', dir, '--reporter=json', `--outputFile=${report}`],
      { cwd: dir, env: { ...process.env, CI: 'true' }, timeout: 120_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the example's tests failed:\n${error.stdout}\n${error.stderr}`);
    });
    const result = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
      numFailedTests: number;
      testResults: { assertionResults: { fullName: string; status: string }[] }[];
    };
    const names = result.testResults.flatMap((f) => f.assertionResults.map((a) => a.fullName));
    expect(result.numFailedTests).toBe(0);
    expect(result.numPassedTests).toBe(result.numTotalTests);
    // The suite's core contract checks are among them (not an empty or skipped run).
    expect(result.numPassedTests).toBeGreaterThanOrEqual(20);
    expect(names.some((n) => /IdempotencyStore compliance: KvIdempotencyStore.*concurrent claims/.test(n))).toBe(true);
    expect(names.some((n) => /fences a stale token/.test(n))).toBe(true);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}, 150_000);
