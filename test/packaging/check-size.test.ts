/**
 * scripts/check-size.mjs (`npm run check:size`, a CI step): passes within the budgets of issue 13 and fails, naming
 * the biggest inputs, when a budget is too small. Runs on the built dist (built here when missing or stale).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureLibraryBuilt, REPO } from '../examples/helpers.js';

const run = promisify(execFile);
const script = path.join(REPO, 'scripts/check-size.mjs');

async function checkSize(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], { cwd: REPO });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

beforeAll(() => ensureLibraryBuilt(), 300_000);

describe('check-size', () => {
  it('reports both fixtures with their margins, zod behind import()', async () => {
    const { out } = await checkSize([
      '--json',
      '--budget',
      'verify-only=10000000',
      '--budget',
      'handler+fetch=10000000',
    ]);
    const results = JSON.parse(out.slice(out.indexOf('['), out.lastIndexOf(']') + 1)) as {
      name: string;
      bytes: number;
      lazyChunks: number;
    }[];
    expect(results.map((r) => r.name)).toEqual(['verify-only', 'handler+fetch']);
    for (const r of results) {
      expect(r.bytes).toBeGreaterThan(1000);
      expect(r.bytes).toBeLessThan(100_000); // zod alone is several hundred KB: it is not loaded up front
      expect(r.lazyChunks).toBeGreaterThan(0); // the schemas chunk, behind import()
    }
  });

  it('fails on a tiny budget and names the biggest inputs', async () => {
    const { code, out } = await checkSize(['--budget', 'verify-only=100']);
    expect(code).toBe(1);
    expect(out).toMatch(/verify-only: \d+ B up front \(budget 100 B/);
    expect(out).toContain('OVER BUDGET');
    expect(out).toContain('biggest inputs loaded up front');
    expect(out).toMatch(/dist\/chunk-\w+\.js/);
  });

  it('rejects an unknown fixture name', async () => {
    const { code, out } = await checkSize(['--budget', 'nope=1']);
    expect(code).toBe(2);
    expect(out).toContain('verify-only, handler+fetch');
  });
});
