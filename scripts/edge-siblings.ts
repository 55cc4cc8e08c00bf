import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * The edge build's one trick, shared by tsup.config.ts and the edge-bundle tests: a relative import of `x.js`
 * whose source has a sibling `x.edge.ts` resolves to that sibling instead (e.g. `default-crypto.ts` with
 * node:crypto → `default-crypto.edge.ts` with WebCrypto only).
 */
export const edgeSiblings: Plugin = {
  name: 'edge-siblings',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const base = path.resolve(args.resolveDir, args.path).replace(/\.(js|ts)$/, '');
      const edge = `${base}.edge.ts`;
      return existsSync(edge) ? { path: edge } : undefined;
    });
  },
};
