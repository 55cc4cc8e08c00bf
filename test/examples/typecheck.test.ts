/**
 * The examples are run with tsx, which strips types without checking them, and the root tsconfig does not cover
 * them; this type-checks them (against the library's sources, see tsconfig.examples.json) so an API change that
 * breaks an example fails CI.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { REPO } from './helpers.js';

it('examples/{express,fastify,poller,custom-store,bullmq,pg-boss} type-check', async () => {
  const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
  const result = await promisify(execFile)(
    process.execPath,
    [tsc, '--noEmit', '-p', path.join(REPO, 'test/examples/tsconfig.examples.json')],
    { cwd: REPO, timeout: 120_000 },
  ).then(
    () => ({ ok: true, output: '' }),
    (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout}${error.stderr}` }),
  );
  expect(result.output).toBe('');
  expect(result.ok).toBe(true);
}, 150_000);
