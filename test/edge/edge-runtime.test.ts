/**
 * The Vercel Edge recipe (fixtures/vercel: a Next.js route with `export const runtime = 'edge'`) in Vercel's
 * edge-runtime: bundled from dist/edge with the `edge-light` condition as Next.js does, given `process.env` as
 * Next's edge sandbox does, and with code generation (eval, new Function) off as on Vercel. The listener stores
 * events over HTTP, here a loopback server standing in for the user's API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EdgeRuntime } from 'edge-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForEdge } from '../../scripts/edge-bundle.js';
import { listen } from '../adapters/web-helpers.js';
import { type EdgeApp, edgeRuntimeCases, FIXTURES, SECRET } from './cases.js';
import { edgeGate } from './gate.js';

const gate = edgeGate('test/edge/edge-runtime');

// What Next.js does with the route module: a fetch event calls its POST export. Plus the test-only verifier routes.
const HARNESS = `
import { POST } from './vercel/app/api/webhooks/workos/route.ts';
import { verifierRoutes } from './verifier-routes.ts';
addEventListener('fetch', (event) => {
  const { request } = event;
  event.respondWith(
    verifierRoutes(request, process.env.WORKOS_WEBHOOK_SECRET).then((reply) => reply ?? POST(request)),
  );
});
`;

describe.skipIf(!gate.run)('Vercel Edge: the Next.js edge route in edge-runtime', () => {
  let runtime: EdgeRuntime;
  let api: Awaited<ReturnType<typeof listen>>;
  let inputs: string[] = [];
  const stored = new Set<string>();
  let app: EdgeApp;

  beforeAll(async () => {
    gate.requireDist();
    api = await listen((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk;
      });
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/events') stored.add((JSON.parse(body) as { id: string }).id);
        res.writeHead(204).end();
      });
    });
    const bundle = await bundleForEdge('edge-light', { contents: HARNESS, resolveDir: FIXTURES });
    inputs = bundle.inputs;
    const env = { WORKOS_WEBHOOK_SECRET: SECRET, EVENTS_API_URL: api.url };
    runtime = new EdgeRuntime({
      initialCode: bundle.code,
      extend: (context) => Object.assign(context, { process: { env } }),
    });
    app = {
      async request(route, init) {
        const response = await runtime.dispatchFetch(new URL(route, 'https://app.example.vercel.app').href, {
          method: 'POST',
          ...init,
        });
        await response.waitUntil();
        return { status: response.status, body: await response.text() };
      },
      stored: async (id) => stored.has(id),
    };
  });

  afterAll(async () => {
    await api?.close();
  });

  it('the route was bundled from the edge build (edge-light → dist/edge), not from the Node build', () => {
    expect(inputs).toContain('dist/edge/adapters/next.js');
    expect(inputs).toContain('dist/edge/index.js');
    expect(inputs.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/edge/'))).toEqual([]);
    expect(inputs.filter((f) => f.startsWith('src/'))).toEqual([]);
  });

  edgeRuntimeCases(() => app, '/api/webhooks/workos');
});
