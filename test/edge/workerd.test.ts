/**
 * The Cloudflare Workers recipe (fixtures/worker.ts) in workerd, Cloudflare's runtime, through miniflare 4: bundled
 * from dist/edge the way wrangler bundles it, with the recipe's bindings (a secret and a KV namespace), no
 * `nodejs_compat` flag, and the handler made at global scope.
 */
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe } from 'vitest';
import { bundleForEdge } from '../../scripts/edge-bundle.js';
import { COMPATIBILITY_DATE, type EdgeApp, edgeRuntimeCases, FIXTURES, SECRET } from './cases.js';
import { edgeGate } from './gate.js';

const gate = edgeGate('test/edge/workerd', { node: { major: 22, why: 'miniflare 4 (workerd)' } });

// The recipe's Worker plus the test-only verifier routes, in one Worker as wrangler would bundle it.
const HARNESS = `
import { env } from 'cloudflare:workers';
import worker from './worker.ts';
import { verifierRoutes } from './verifier-routes.ts';
export default {
  async fetch(request) {
    return (await verifierRoutes(request, env.WORKOS_WEBHOOK_SECRET)) ?? worker.fetch(request);
  },
};
`;

describe.skipIf(!gate.run)('Cloudflare Workers: the recipe in workerd (miniflare)', () => {
  let mf: Miniflare;
  let app: EdgeApp;

  beforeAll(async () => {
    gate.requireDist();
    const { Miniflare } = await import('miniflare'); // loaded here: the package needs Node >= 22
    const bundle = await bundleForEdge('workerd', { contents: HARNESS, resolveDir: FIXTURES });
    mf = new Miniflare({
      modules: [{ type: 'ESModule', path: 'worker.mjs', contents: bundle.code }],
      compatibilityDate: COMPATIBILITY_DATE,
      bindings: { WORKOS_WEBHOOK_SECRET: SECRET },
      kvNamespaces: ['EVENTS'],
    });
    await mf.ready;
    // miniflare types KV with @cloudflare/workers-types, which this repository does not install.
    const kv = (await mf.getKVNamespace('EVENTS')) as unknown as { get(key: string): Promise<string | null> };
    app = {
      async request(route, init) {
        const response = await mf.dispatchFetch(new URL(route, 'https://webhooks.example.workers.dev'), {
          method: 'POST',
          ...init,
        });
        return { status: response.status, body: await response.text() };
      },
      stored: async (id) => (await kv.get(id)) !== null,
    };
  });

  afterAll(async () => {
    await mf?.dispose();
  });

  edgeRuntimeCases(() => app, '/webhooks/workos');
});
