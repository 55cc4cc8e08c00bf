/**
 * `npm run demo` (the README's main job): runs it as a process, on whichever Node runs the tests, and checks its exit
 * code and summary. The summary check itself is tested to fail on each kind of discrepancy.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkPipeline, type PipelineSummary } from '../../scripts/demo/pipeline.js';
import { REPO } from './helpers.js';

const TSX = path.join(REPO, 'node_modules/tsx/dist/cli.mjs');

describe('npm run demo', () => {
  it('exits 0 with every event processed once and nothing lost', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [TSX, 'scripts/demo.ts'], {
      cwd: REPO,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      timeout: 60_000,
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`demo exited with ${error.code}:\n${error.stdout}\n${error.stderr}`);
    });
    expect(stdout).toContain('verification: every case behaved as expected');
    expect(stdout).toMatch(/processed on first delivery \(200\)\s+59/);
    expect(stdout).toMatch(/duplicates skipped \(200 "duplicate"\)\s+8/);
    expect(stdout).toMatch(/simultaneous copies skipped \(200 \/ 409\)\s+4/);
    expect(stdout).toMatch(/rejected 401 signature_mismatch\s+1/);
    expect(stdout).toMatch(/rejected 401 missing_signature\s+1/);
    expect(stdout).toMatch(/rejected 401 timestamp_too_old\s+1/);
    expect(stdout).toMatch(/lost: endpoint down\s+12/);
    expect(stdout).toMatch(/recovered \(missed by webhooks\)\s+13/);
    expect(stdout).toMatch(/processed \(each exactly once\)\s+72/);
    expect(stdout).toMatch(/\n\s+lost\s+0\n/);
    expect(stdout).toContain('OK: processed = total = 72, lost = 0');
  }, 90_000);
});

describe('checkPipeline', () => {
  const good: PipelineSummary = {
    total: 10,
    attempted: 12,
    deliveredProcessed: 7,
    duplicatesSkipped: 1,
    simultaneousSkipped: 4,
    rejected: { signature_mismatch: 1, timestamp_too_old: 1 },
    lostWhileDown: 2,
    alreadyProcessed: 7,
    recovered: 3,
    reconcileFailed: 0,
    processed: 10,
    lost: 0,
    appliedTwice: 0,
    unexpected: 0,
    anomalies: [],
    expected: {
      deliveredProcessed: 7,
      duplicatesSkipped: 1,
      simultaneousSkipped: 4,
      rejected: { timestamp_too_old: 1, signature_mismatch: 1 },
      lostWhileDown: 2,
      alreadyProcessed: 7,
      recovered: 3,
    },
    durationMs: 1,
  };

  it('accepts a consistent run', () => {
    expect(checkPipeline(good)).toEqual([]);
  });

  it.each<[string, Partial<PipelineSummary>, RegExp]>([
    ['a lost event', { lost: 1, processed: 9 }, /^processed: 9, expected 10$/],
    ['an event applied twice', { appliedTwice: 1 }, /applied more than once: 1/],
    ['a forged event that got through', { unexpected: 1 }, /applied but not a WorkOS event: 1/],
    ['a duplicate that ran its handler', { duplicatesSkipped: 0 }, /duplicates skipped: 0, expected 1/],
    ['simultaneous copies that ran twice', { simultaneousSkipped: 3 }, /simultaneous copies skipped: 3, expected 4/],
    ['a reconcile failure', { reconcileFailed: 1 }, /reconcile: failed: 1, expected 0/],
    ['missed events not recovered', { recovered: 2 }, /reconcile: recovered: 2, expected 3/],
    ['a wrong rejection code', { rejected: { signature_mismatch: 2 } }, /rejected by code/],
    ['an unexpected answer', { anomalies: ['genuine delivery: HTTP 500'] }, /HTTP 500/],
  ])('flags %s', (_name, change, problem) => {
    const problems = checkPipeline({ ...good, ...change });
    expect(problems.some((p) => problem.test(p))).toBe(true);
  });
});
