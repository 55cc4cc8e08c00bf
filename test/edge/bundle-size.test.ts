/**
 * The recipes of docs/edge.md as their deploy tools bundle them (scripts/edge-bundle.ts), from the built dist/edge:
 * what goes in, and the size against each platform's limit. Runs on every Node version (esbuild only).
 *
 * Limits (checked 2026-12): Cloudflare Workers count 64 MiB uncompressed on every plan since 2026-09-04; before that
 * the Free plan allowed 3 MiB after gzip, the stricter bound, which is the one asserted here. Vercel Edge Functions:
 * 1 MB after gzip on Hobby (2 MB Pro, 4 MB Enterprise).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleForEdge, type EdgeBundle } from '../../scripts/edge-bundle.js';
import { FIXTURES } from './cases.js';
import { edgeGate } from './gate.js';

const gate = edgeGate('test/edge/bundle-size');

const MiB = 1024 * 1024;

function report(name: string, bundle: EdgeBundle): void {
  console.info(`[edge bundle] ${name}: ${bundle.bytes} bytes minified, ${bundle.gzipBytes} bytes gzip`);
}

/** Inputs from the package's built files that are not the edge build (the Node build, or sources). */
const notEdge = (inputs: string[]) =>
  inputs.filter((f) => (f.startsWith('dist/') && !f.startsWith('dist/edge/')) || f.startsWith('src/'));

describe.skipIf(!gate.run)('edge bundles of the recipes', () => {
  it('the Cloudflare Worker (workerd condition, as wrangler bundles it) fits the Workers Free plan', async () => {
    gate.requireDist();
    const bundle = await bundleForEdge('workerd', { file: path.join(FIXTURES, 'worker.ts') });
    report('Cloudflare Worker (test/edge/fixtures/worker.ts)', bundle);
    expect(bundle.inputs).toContain('dist/edge/index.js');
    expect(bundle.inputs).toContain('dist/edge/adapters/web.js');
    expect(notEdge(bundle.inputs)).toEqual([]);
    expect(bundle.externals).toEqual(['cloudflare:workers']); // no node: import, so no nodejs_compat flag
    expect(bundle.gzipBytes).toBeLessThan(3 * MiB);
    expect(bundle.bytes).toBeLessThan(64 * MiB);
  });

  it('the Next.js edge route (edge-light condition) fits a Vercel Hobby Edge Function', async () => {
    gate.requireDist();
    const bundle = await bundleForEdge('edge-light', {
      file: path.join(FIXTURES, 'vercel/app/api/webhooks/workos/route.ts'),
    });
    report('Next.js edge route (test/edge/fixtures/vercel/app/api/webhooks/workos/route.ts)', bundle);
    expect(bundle.inputs).toContain('dist/edge/adapters/next.js');
    expect(notEdge(bundle.inputs)).toEqual([]);
    expect(bundle.externals).toEqual([]);
    expect(bundle.gzipBytes).toBeLessThan(1_000_000);
  });
});
