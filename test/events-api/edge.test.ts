import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { expect, it } from 'vitest';

// The same swap as tsup.config.ts's edge build: a relative import of `x` resolves to a sibling `x.edge.ts`.
const edgeSiblings: Plugin = {
  name: 'edge-siblings',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const base = path.resolve(args.resolveDir, args.path).replace(/\.(js|ts)$/, '');
      if (existsSync(`${base}.edge.ts`)) return { path: `${base}.edge.ts` };
      return existsSync(`${base}.ts`) ? { path: `${base}.ts` } : undefined;
    });
  },
};

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
