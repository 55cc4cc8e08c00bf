import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { edgeSiblings } from '../../scripts/edge-siblings.js';

it('the edge build of the Events API has no node: import and gets the FileCursorStore stub', async () => {
  const entry = fileURLToPath(new URL('../../src/events-api/index.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'neutral',
    format: 'esm',
    external: ['zod'],
    plugins: [edgeSiblings],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  expect(code).toContain('listEvents');
  expect(code).not.toMatch(/["']node:/);
  expect(code).toContain('FileCursorStore needs a Node.js file system');
});
