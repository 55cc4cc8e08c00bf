/**
 * examples/custom-store: runs the example's own test file, as its README tells users to (`npm test`, i.e. vitest with
 * `describeIdempotencyStore` from `workos-events/testing`), in a child vitest, and checks every compliance test ran
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

it('the built test kit imports vitest instead of bundling a copy (a copy cannot register tests)', () => {
  prepareExample('custom-store');
  const kit = readFileSync(path.join(REPO, 'dist/testing/index.js'), 'utf8');
  // A bundled copy shows up as inlined @vitest/* modules; describe() from it throws "reading 'config'".
  expect(kit.includes('// node_modules/@vitest/'), 'mark vitest (and fast-check) external in tsup.config.ts').toBe(
    false,
  );
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
