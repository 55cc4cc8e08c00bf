/**
 * End to end: the real Next.js 16 app in examples/next, built with `next build`, run with `next start`, receiving
 * signed deliveries over HTTP on its three routes (App Router on Node.js, App Router on the edge runtime, Pages
 * Router), plus the Pages Router route that forgot `bodyParser: false`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_SECRET, corpusEventBody, corpusSign, HOSTILE_CORPUS, sendRaw } from './hostile-corpus.js';
import { ensureLibraryBuilt, ensureNextBuilt, linkPackage, type NextServer, REPO, startNext } from './next-app.js';
import { eventBody, SECRET, signedHeaders } from './web-helpers.js';

const APP = path.join(REPO, 'examples/next');
const ROUTES = [
  { name: 'app', path: '/api/webhooks/workos' },
  { name: 'edge', path: '/api/webhooks/workos-edge' },
  { name: 'pages', path: '/api/webhooks/workos-pages' },
] as const;

let server: NextServer;
const timings: Record<string, number> = {};

beforeAll(async () => {
  const log = (m: string) => console.log(`[next e2e] ${m}`);
  timings.library = ensureLibraryBuilt(log);
  linkPackage(APP);
  timings.nextBuild = ensureNextBuilt(APP, log);
  const started = Date.now();
  // Two secrets, as during a rotation: the tests' own and the hostile corpus's.
  server = await startNext(APP, { WORKOS_WEBHOOK_SECRET: `${SECRET},${CORPUS_SECRET}` });
  timings.nextStart = Date.now() - started;
  log(
    `library build ${timings.library} ms, next build ${timings.nextBuild} ms (0 = up to date), next start ${timings.nextStart} ms`,
  );
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

async function deliver(route: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${server.url}${route}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, string>) : undefined };
}

describe.each(ROUTES)('examples/next $path ($name)', ({ name, path: route }) => {
  it('valid → 200 processed and the handler ran (once)', async () => {
    const { id, body } = eventBody({ pretty: true });
    const res = await deliver(route, body, signedHeaders(body));
    expect(res).toEqual({ status: 200, json: { status: 'processed' } });
    const line = `[workos:${name}] processed dsync.user.created ${id}`;
    await server.waitForOutput(line);
    expect(server.output()).toContain(
      `[workos:${name}] directory user created: directory_user_01E1JG7J09H96KYP8HM9B0G5SJ`,
    );

    const again = await deliver(route, body, signedHeaders(body));
    expect(again).toEqual({ status: 200, json: { status: 'duplicate' } });
    expect(server.output().split(line).length - 1).toBe(1);
  });

  it('bad signature → 401 signature_mismatch, handler not run', async () => {
    const { id, body } = eventBody();
    const res = await deliver(route, body, signedHeaders(body, { secret: 'whsec_not_the_secret' }));
    expect(res).toEqual({ status: 401, json: { status: 'error', code: 'signature_mismatch' } });
    const missing = await deliver(route, body, { 'content-type': 'application/json' });
    expect(missing).toEqual({ status: 401, json: { status: 'error', code: 'missing_signature' } });
    expect(server.output()).not.toContain(id);
  });

  it('stale signature → 401 timestamp_too_old', async () => {
    const { id, body } = eventBody();
    const res = await deliver(route, body, signedHeaders(body, { t: Date.now() - 60 * 60 * 1000 }));
    expect(res).toEqual({ status: 401, json: { status: 'error', code: 'timestamp_too_old' } });
    expect(server.output()).not.toContain(id);
  });

  it('wrong method → 405', async () => {
    const get = await fetch(`${server.url}${route}`);
    expect(get.status).toBe(405);
    const { body } = eventBody();
    const put = await fetch(`${server.url}${route}`, { method: 'PUT', headers: signedHeaders(body), body });
    expect(put.status).toBe(405);
  });
});

// The shared corpus, minus what depends on the corpus's own handler options (64 KiB limit, 400 ms body timeout; the
// example keeps the defaults) and on Node's bare HTTP parser (Next.js answers those itself).
const CORPUS = HOSTILE_CORPUS.filter((c) => c.layer !== 'http' && !/^(size|stall):/.test(c.name));

describe.each(ROUTES)('hostile corpus against examples/next $path', ({ name, path: route }) => {
  it(`${CORPUS.length} cases: documented status and code, no listener ran, the server stays up`, async () => {
    const port = Number(new URL(server.url).port);
    const processed = () => server.output().split(`[workos:${name}] processed`).length;
    const before = processed();
    const wrong: string[] = [];
    for (const c of CORPUS) {
      const res = await sendRaw(port, c.request(), route);
      // App Router routes export only POST: Next.js answers other methods itself (405 without our JSON body, and
      // OPTIONS with 204 + Allow), before the adapter is involved.
      const byNext = name !== 'pages' && c.expect.status === 405;
      const want = byNext ? { status: c.name === 'method: OPTIONS' ? 204 : 405, code: null } : c.expect;
      if (res.status !== want.status || res.code !== want.code || res.body.includes(CORPUS_SECRET))
        wrong.push(`${c.name}: got ${res.status} ${res.code}, want ${want.status} ${want.code}`);
    }
    expect(wrong).toEqual([]);
    expect(processed()).toBe(before);
    const body = corpusEventBody();
    const ok = await deliver(route, body, { 'content-type': 'application/json', 'workos-signature': corpusSign(body) });
    expect(ok).toEqual({ status: 200, json: { status: 'processed' } });
  });
});

describe('examples/next misuse and build', () => {
  it('Pages Router without bodyParser: false → 500 body_already_parsed and the fix in the log', async () => {
    const { id, body } = eventBody();
    const res = await deliver('/api/webhooks/workos-pages-parsed', body, signedHeaders(body));
    expect(res).toEqual({ status: 500, json: { status: 'error', code: 'body_already_parsed' } });
    await server.waitForOutput('export const config = { api: { bodyParser: false } }');
    expect(server.output()).not.toContain(id);
  });

  it('the edge route was bundled from the edge build (WebCrypto), the Node.js routes from the node:crypto build', () => {
    const sourcesUnder = (dir: string) => {
      const found = new Set<string>();
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.map')) continue;
        const map = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
          sources?: string[];
          sections?: { map: { sources: string[] } }[];
        };
        for (const s of map.sections?.flatMap((x) => x.map.sources) ?? map.sources ?? []) {
          const m = /src\/verify\/(node-crypto|webcrypto)\.ts$/.exec(s);
          if (m) found.add(m[1]!);
        }
      }
      return found;
    };
    const edge = sourcesUnder(path.join(APP, '.next/server/edge'));
    expect([...edge]).toEqual(['webcrypto']);
    const node = sourcesUnder(path.join(APP, '.next/server/app'));
    const chunks = sourcesUnder(path.join(APP, '.next/server/chunks'));
    expect([...new Set([...node, ...chunks])]).toContain('node-crypto');
  });

  it('next start stops at once with a clear message when WORKOS_WEBHOOK_SECRET is missing', async () => {
    const broken = await startNext(APP, { WORKOS_WEBHOOK_SECRET: '' });
    try {
      await broken.waitForOutput('WORKOS_WEBHOOK_SECRET is empty', 30_000);
      for (let i = 0; i < 100 && broken.exitCode() === null; i++) await new Promise((r) => setTimeout(r, 100));
      expect(broken.exitCode()).toBe(1);
      expect(broken.output()).not.toContain(SECRET);
    } finally {
      await broken.stop();
    }
  }, 60_000);
});
