/**
 * Adapter overhead: each framework adapter (memory store, no-op listener) against a hand-written minimal route of the
 * same framework that does the comparable work any correct endpoint must do — read the raw body, parse the signature
 * header, check the timestamp, HMAC-SHA256 with node:crypto + timingSafeEqual, JSON.parse, check the envelope
 * (id, event, data, created_at), claim the id in a Map, mark it done, answer 200 JSON. The adapters are loaded from
 * dist/ (built first if stale), as users get them.
 *
 * `ADAPTERS_BENCH_ONLY=fastify,web` runs only those (express, fastify, web, next); `ADAPTERS_BENCH_ROUNDS` and
 * `ADAPTERS_BENCH_SECONDS` change the number and length of the rounds.
 *
 * Servers run in child processes (this file, started with WORKOS_EVENTS_BENCH_SERVE=<kind>; Next.js via
 * `next start`); autocannon runs here. Every request is a distinct 1 KB event, signed ahead of time (or, if the batch
 * runs out, while sending — counted in the table), so nothing is a duplicate. Adapter and baseline runs alternate; the table shows the median of the rounds.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { fetchBridge } from '../test/adapters/web-helpers.js';
import type { BenchContext } from './run.js';

const SECRET = 'whsec_bench_adapters_0123456789';
const SERVE_ENV = 'WORKOS_EVENTS_BENCH_SERVE';
const PATH = '/webhooks/workos';
const HERE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(HERE), '..');
const CONNECTIONS = 10;
const ROUNDS = Number(process.env.ADAPTERS_BENCH_ROUNDS ?? 5);
const SECONDS_PER_RUN = Number(process.env.ADAPTERS_BENCH_SECONDS ?? 4);
const ONLY = process.env.ADAPTERS_BENCH_ONLY?.split(',').map((s) => s.trim().toLowerCase());
const DIST = (file: string) => path.join(REPO, 'dist', file);

// ---------------------------------------------------------------------------------------------------------------
// Server side (child process)
// ---------------------------------------------------------------------------------------------------------------

type Reply = { status: number; body: string };
const SIG = /^t=(\d{1,16}), v1=([0-9a-f]{64})$/;

/** The baseline's whole job, written inline as a user would without a library. `seen`: id → -lease end (claimed)
 * or completion time (done). */
function baselineDeliver(seen: Map<string, number>, header: string | undefined, body: Uint8Array): Reply {
  const m = SIG.exec(header ?? '');
  if (!m) return { status: 401, body: '{"error":"bad signature header"}' };
  if (Math.abs(Date.now() - Number(m[1])) > 300_000) return { status: 401, body: '{"error":"stale"}' };
  const expected = createHmac('sha256', SECRET).update(`${m[1]}.`).update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'))) return { status: 401, body: '{"error":"mismatch"}' };
  let event: { id?: unknown; event?: unknown; data?: unknown; created_at?: unknown };
  try {
    event = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) as typeof event;
  } catch {
    return { status: 400, body: '{"error":"not json"}' };
  }
  if (
    typeof event?.id !== 'string' ||
    typeof event.event !== 'string' ||
    typeof event.data !== 'object' ||
    event.data === null ||
    typeof event.created_at !== 'string'
  )
    return { status: 400, body: '{"error":"not an event"}' };
  if (seen.has(event.id)) return { status: 200, body: '{"status":"duplicate"}' };
  seen.set(event.id, -(Date.now() + 120_000)); // claim (lease)
  seen.set(event.id, Date.now()); // the no-op listener ran: complete
  return { status: 200, body: '{"status":"processed"}' };
}

async function readAll(req: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function noOpHandler() {
  const { createWorkOSWebhookHandler } = (await import(DIST('index.js'))) as typeof import('../src/index.js');
  const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
  webhooks.onAny(() => {});
  return webhooks;
}

async function serve(kind: string): Promise<number> {
  const seen = new Map<string, number>();
  const listen = (server: ReturnType<typeof createServer>) =>
    new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  switch (kind) {
    case 'express-adapter':
    case 'express-baseline': {
      const express = (await import('express')).default;
      const app = express();
      if (kind === 'express-adapter') {
        const { workosWebhook } = (await import(
          DIST('adapters/express.js')
        )) as typeof import('../src/adapters/express.js');
        app.post(PATH, workosWebhook(await noOpHandler()));
      } else {
        app.post(PATH, (req, res) => {
          readAll(req).then((body) => {
            const r = baselineDeliver(seen, req.headers['workos-signature'] as string | undefined, body);
            res.status(r.status).type('application/json').send(r.body);
          });
        });
      }
      return listen(createServer(app));
    }
    case 'fastify-adapter':
    case 'fastify-baseline': {
      const Fastify = (await import('fastify')).default;
      const app = Fastify({ logger: false });
      if (kind === 'fastify-adapter') {
        const { workosWebhookPlugin } = (await import(
          DIST('adapters/fastify.js')
        )) as typeof import('../src/adapters/fastify.js');
        await app.register(workosWebhookPlugin, { handler: await noOpHandler(), path: PATH });
      } else {
        app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
        app.post(PATH, async (req, reply) => {
          const r = baselineDeliver(seen, req.headers['workos-signature'] as string | undefined, req.body as Buffer);
          return reply.code(r.status).header('content-type', 'application/json').send(r.body);
        });
      }
      await app.listen({ port: 0, host: '127.0.0.1' });
      return (app.server.address() as AddressInfo).port;
    }
    case 'web-adapter': {
      const { workosFetchHandler } = (await import(DIST('adapters/web.js'))) as typeof import('../src/adapters/web.js');
      return listen(createServer(fetchBridge(workosFetchHandler(await noOpHandler()))));
    }
    case 'web-baseline': {
      const handler = async (request: Request) => {
        const body = new Uint8Array(await request.arrayBuffer());
        const r = baselineDeliver(seen, request.headers.get('workos-signature') ?? undefined, body);
        return new Response(r.body, { status: r.status, headers: { 'content-type': 'application/json' } });
      };
      return listen(createServer(fetchBridge(handler)));
    }
    default:
      throw new Error(`unknown server kind ${kind}`);
  }
}

const serveKind = process.env[SERVE_ENV];
if (serveKind) {
  serve(serveKind).then(
    (port) => process.send?.({ port }),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Load side (bench runner process)
// ---------------------------------------------------------------------------------------------------------------

interface Endpoint {
  url: string;
  path: string;
  /** The server process, for its CPU time. */
  pid?: number;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (µs, user + system) used so far by `pid` and its descendants, from /proc (Linux; undefined elsewhere).
 * Per request it is steadier than req/s when the load generator and other work compete for the same cores.
 */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // [0] state, [1] ppid, [11] utime, [12] stime
    const ppid = Number(fields[1]);
    ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    total += ticks.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return (total * 1e6) / CLK_TCK;
}

function startChild(kind: string): Promise<{ endpoint: Endpoint; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = fork(HERE, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, [SERVE_ENV]: kind, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m: { port: number }) =>
      resolve({ endpoint: { url: `http://127.0.0.1:${m.port}`, path: PATH, pid: child.pid }, child }),
    );
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code}) before listening`)));
  });
}

let counter = 0;
const runId = Date.now().toString(36).toUpperCase();

/** A dsync.user.created event of exactly `size` bytes with a distinct id. */
function eventOfSize(size: number): string {
  const id = `event_${runId}${String(counter++).padStart(12, '0')}`;
  const make = (pad: string) =>
    JSON.stringify({
      id,
      event: 'dsync.user.created',
      data: {
        object: 'directory_user',
        id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
        directory_id: 'directory_01ECAZ4NV9QMV47GW873HDCX74',
        organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
        first_name: 'Zoe',
        last_name: 'Example',
        email: 'zoe@example.com',
        state: 'active',
        custom_attributes: { department: 'Engineering', notes: pad },
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      },
      created_at: new Date().toISOString(),
    });
  return make('x'.repeat(Math.max(0, size - make('').length)));
}

function signOne(t: string): { body: string; signature: string } {
  const body = eventOfSize(1024);
  return { body, signature: `t=${t}, v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}` };
}

function signed(n: number): Array<{ body: string; signature: string }> {
  const t = String(Date.now());
  return Array.from({ length: n }, () => signOne(t));
}

interface Run {
  rps: number;
  p99: number;
  /** Non-2xx answers, errors and timeouts (should be 0). */
  bad: number;
  /** Requests signed during the run because the pre-signed batch ran out (each still a distinct event). */
  live: number;
  /** Server CPU time per answered request (µs), when /proc tells. */
  cpuUs?: number;
}

/**
 * Fixed-duration run (autocannon stops on whole-second ticks, so `amount` runs would round their time up). The
 * batch of distinct signed events is sized from the expected rate with a wide margin.
 */
async function load(endpoint: Endpoint, seconds: number, expectedRps: number): Promise<Run> {
  const batch = signed(Math.ceil(expectedRps * seconds * 2) + 2_000);
  let next = 0;
  const cpuBefore = cpuMicros(endpoint.pid);
  const result = await autocannon({
    url: endpoint.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: endpoint.path,
        setupRequest: (req) => {
          const r = batch[next++] ?? signOne(String(Date.now()));
          return {
            ...req,
            body: r.body,
            headers: { 'content-type': 'application/json', 'workos-signature': r.signature },
          };
        },
      },
    ],
  });
  const cpuAfter = cpuMicros(endpoint.pid);
  const answered = result['2xx'] + result.non2xx;
  return {
    rps: result['2xx'] / seconds,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
    live: Math.max(0, next - batch.length),
    ...(cpuBefore !== undefined && cpuAfter !== undefined && answered > 0
      ? { cpuUs: (cpuAfter - cpuBefore) / answered }
      : {}),
  };
}

/** One delivery, its replay and a forgery: the route must really verify and dedup before it is measured. */
async function sanity(endpoint: Endpoint, label: string): Promise<void> {
  const [r] = signed(1);
  const send = (signature: string) =>
    fetch(endpoint.url + endpoint.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'workos-signature': signature },
      body: r!.body,
    });
  const first = await send(r!.signature);
  const replay = await send(r!.signature);
  const forged = await send(r!.signature.replace(/v1=./, (s) => (s.endsWith('0') ? 'v1=1' : 'v1=0')));
  const got = [first.status, await first.text(), replay.status, await replay.text(), forged.status];
  if (
    got[0] !== 200 ||
    !String(got[1]).includes('processed') ||
    !String(got[3]).includes('duplicate') ||
    got[4] !== 401
  )
    throw new Error(`${label} failed the sanity check: ${JSON.stringify(got)}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const medianCpu = (runs: Run[]): { cpuUs?: number } => {
  const xs = runs.flatMap((r) => (r.cpuUs === undefined ? [] : [r.cpuUs]));
  return xs.length === runs.length ? { cpuUs: median(xs) } : {};
};

interface Row {
  framework: string;
  server: string;
  adapter: Run;
  baseline: Run;
  /** adapter req/s ÷ baseline req/s, per round (each pair measured back to back). */
  ratios: number[];
}

async function compare(
  ctx: BenchContext,
  framework: string,
  server: string,
  adapter: Endpoint,
  baseline: Endpoint,
): Promise<Row> {
  await sanity(adapter, `${framework} adapter`);
  await sanity(baseline, `${framework} baseline`);
  // Warm up both (JIT, connection pools). Both sides get batches sized from the fastest rate seen so far, so
  // signing while sending (which costs the load generator CPU) stays rare and hits neither side more than the other.
  let peak = 10_000;
  const measure = async (endpoint: Endpoint, seconds: number) => {
    const run = await load(endpoint, seconds, peak);
    peak = Math.max(peak, run.rps);
    return run;
  };
  await measure(adapter, 2);
  await measure(baseline, 2);
  const a: Run[] = [];
  const b: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    a.push(await measure(adapter, SECONDS_PER_RUN));
    b.push(await measure(baseline, SECONDS_PER_RUN));
    const cpu = (r: Run) => (r.cpuUs === undefined ? '' : ` (${r.cpuUs.toFixed(0)} µs CPU/req)`);
    ctx.log(
      `  ${framework} round ${round + 1}: adapter ${a.at(-1)!.rps.toFixed(0)} req/s${cpu(a.at(-1)!)}, baseline ${b.at(-1)!.rps.toFixed(0)} req/s${cpu(b.at(-1)!)}, ratio ${(a.at(-1)!.rps / b.at(-1)!.rps).toFixed(2)}`,
    );
  }
  const pick = (runs: Run[]): Run => ({
    ...medianCpu(runs),
    rps: median(runs.map((r) => r.rps)),
    p99: median(runs.map((r) => r.p99)),
    bad: runs.reduce((n, r) => n + r.bad, 0),
    live: runs.reduce((n, r) => n + r.live, 0),
  });
  const ratios = a.map((run, i) => run.rps / b[i]!.rps);
  return { framework, server, adapter: pick(a), baseline: pick(b), ratios };
}

async function withChildren<T>(kinds: string[], fn: (endpoints: Endpoint[]) => Promise<T>): Promise<T> {
  const started: ChildProcess[] = [];
  try {
    const endpoints: Endpoint[] = [];
    for (const kind of kinds) {
      const { endpoint, child } = await startChild(kind);
      started.push(child);
      endpoints.push(endpoint);
    }
    return await fn(endpoints);
  } finally {
    for (const child of started) child.kill('SIGTERM');
  }
}

const NEXT_ADAPTER_ROUTE = `import { createWorkOSWebhookHandler } from 'workos-events';
import { workosRouteHandler } from 'workos-events/next';

const webhooks = createWorkOSWebhookHandler({ secret: process.env.WORKOS_WEBHOOK_SECRET });
webhooks.onAny(() => {});
export const POST = workosRouteHandler(webhooks);
`;

const NEXT_BASELINE_ROUTE = `import { createHmac, timingSafeEqual } from 'node:crypto';

const SIG = /^t=(\\d{1,16}), v1=([0-9a-f]{64})$/;
const seen = new Map<string, number>();
const json = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });

export async function POST(request: Request): Promise<Response> {
  const body = Buffer.from(await request.arrayBuffer());
  const m = SIG.exec(request.headers.get('workos-signature') ?? '');
  if (!m) return json(401, '{"error":"bad signature header"}');
  if (Math.abs(Date.now() - Number(m[1])) > 300_000) return json(401, '{"error":"stale"}');
  const expected = createHmac('sha256', process.env.WORKOS_WEBHOOK_SECRET ?? '').update(m[1] + '.').update(body).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'))) return json(401, '{"error":"mismatch"}');
  let event: { id?: unknown; event?: unknown; data?: unknown; created_at?: unknown };
  try {
    event = JSON.parse(body.toString('utf8')) as typeof event;
  } catch {
    return json(400, '{"error":"not json"}');
  }
  if (
    typeof event?.id !== 'string' ||
    typeof event.event !== 'string' ||
    typeof event.data !== 'object' ||
    event.data === null ||
    typeof event.created_at !== 'string'
  )
    return json(400, '{"error":"not an event"}');
  if (seen.has(event.id)) return json(200, '{"status":"duplicate"}');
  seen.set(event.id, -(Date.now() + 120_000));
  seen.set(event.id, Date.now());
  return json(200, '{"status":"processed"}');
}
`;

const NEXT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['dom', 'dom.iterable', 'esnext'],
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    isolatedModules: true,
    jsx: 'react-jsx',
    plugins: [{ name: 'next' }],
  },
  include: ['next-env.d.ts', '**/*.ts', '.next/types/**/*.ts'],
  exclude: ['node_modules'],
};

/** A throwaway Next.js app under .tmp/ with the adapter route and the hand-written route side by side. */
async function benchNext(ctx: BenchContext): Promise<Row> {
  const helpers = await import('../test/adapters/next-app.js');
  const app = path.join(REPO, '.tmp/bench-next');
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify({ name: 'workos-events-bench-next', private: true, dependencies: { 'workos-events': 'file:../..' } }, null, 2)}\n`,
    'next.config.ts': `import path from 'node:path';\nconst root = path.resolve(__dirname, '../..');\nexport default { turbopack: { root }, outputFileTracingRoot: root };\n`,
    // Its own tsconfig: without one Next uses the repository's, whose `paths` map workos-events to src/.
    'tsconfig.json': `${JSON.stringify(NEXT_TSCONFIG, null, 2)}\n`,
    'app/api/adapter/route.ts': NEXT_ADAPTER_ROUTE,
    'app/api/baseline/route.ts': NEXT_BASELINE_ROUTE,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    writeFileSync(path.join(app, file), text);
  }
  helpers.ensureLibraryBuilt(ctx.log);
  helpers.linkPackage(app);
  helpers.ensureNextBuilt(app, ctx.log, { WORKOS_WEBHOOK_SECRET: SECRET });
  const server = await helpers.startNext(app, { WORKOS_WEBHOOK_SECRET: SECRET });
  try {
    if (server.exitCode() !== null) throw new Error(`next start failed:\n${server.output()}`);
    return await compare(
      ctx,
      'Next.js 16 App Router',
      '`next start` (Node.js runtime)',
      { url: server.url, path: '/api/adapter', pid: server.pid },
      { url: server.url, path: '/api/baseline', pid: server.pid },
    );
  } finally {
    await server.stop();
  }
}

export default async function adaptersBench(ctx: BenchContext): Promise<string> {
  const loadBefore = os.loadavg()[0]!;
  const rows: Row[] = [];
  const skipped: string[] = [];
  const wanted = (kind: string) => !ONLY || ONLY.includes(kind);
  const pairs: Array<[string, string, string]> = [
    ['Express 5', 'express', 'Express 5 on node:http'],
    ['Fastify 5', 'fastify', 'Fastify 5'],
    ['Fetch (`workos-events/web`)', 'web', 'node:http with a Request/Response bridge (as @hono/node-server does)'],
  ];
  const helpers = await import('../test/adapters/next-app.js');
  helpers.ensureLibraryBuilt(ctx.log);
  for (const [framework, kind, server] of pairs.filter(([, kind]) => wanted(kind))) {
    ctx.log(`${framework}…`);
    try {
      rows.push(
        await withChildren([`${kind}-adapter`, `${kind}-baseline`], ([a, b]) =>
          compare(ctx, framework, server, a!, b!),
        ),
      );
    } catch (error) {
      skipped.push(`${framework}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (wanted('next')) {
    ctx.log('Next.js…');
    try {
      rows.push(await benchNext(ctx));
    } catch (error) {
      skipped.push(`Next.js: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    '## Adapters: overhead over a hand-written route',
    '',
    `autocannon, ${CONNECTIONS} connections, no pipelining, every request a distinct 1 KB \`dsync.user.created\` event ` +
      '(signed ahead of time; signed while sending once the batch runs out, see the last column); server in a child process. Adapter: memory store, no-op listener. Baseline: the same ' +
      'framework, a hand-written route that does the comparable work: reads the raw body, parses the header, checks ' +
      'the timestamp, HMACs with node:crypto (timingSafeEqual), JSON.parses, checks the envelope (id, event, data, ' +
      'created_at), claims the id in a Map and marks it done, answers 200 JSON. The adapters are loaded from dist/ ' +
      `(the built package). ${ROUNDS} alternating rounds of ${SECONDS_PER_RUN} s each (after a 2 s warm-up of each); ` +
      'req/s and p99 are medians over the rounds; the ratio is the median of the per-round ratios (adapter round ÷ ' +
      'the baseline round right after it), with their range. Target: adapter ≥ 0.9 × baseline. The server CPU time ' +
      'per answered request (user + system, from /proc, the server process and its children) is steadier than req/s ' +
      'when the load generator and other work share the cores.',
    '',
    '| framework | server | adapter req/s | baseline req/s | ratio (median) | per-round ratios | server CPU µs/req: adapter / baseline (baseline ÷ adapter) | adapter p99 ms | baseline p99 ms | non-2xx/errors | signed during run |',
    '|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const ratio = median(r.ratios);
      const range = `${Math.min(...r.ratios).toFixed(2)}–${Math.max(...r.ratios).toFixed(2)}: ${r.ratios.map((x) => x.toFixed(2)).join(', ')}`;
      const cpu =
        r.adapter.cpuUs !== undefined && r.baseline.cpuUs !== undefined
          ? `${r.adapter.cpuUs.toFixed(0)} / ${r.baseline.cpuUs.toFixed(0)} (${(r.baseline.cpuUs / r.adapter.cpuUs).toFixed(2)}×)`
          : '—';
      return `| ${r.framework} | ${r.server} | ${fmt(r.adapter.rps)} | ${fmt(r.baseline.rps)} | ${ratio.toFixed(2)}× ${ratio >= 0.9 ? '✅' : '❌ below 0.9'} | ${range} | ${cpu} | ${r.adapter.p99} | ${r.baseline.p99} | ${r.adapter.bad + r.baseline.bad} | ${r.adapter.live + r.baseline.live} |`;
    }),
  ];
  lines.push(
    '',
    `1-minute load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0]!.toFixed(1)} after the run on ` +
      `${os.cpus().length} cores: server, load generator and anything else on the machine share them, so compare ` +
      'the ratios (measured side by side) rather than the absolute rates.',
  );
  if (skipped.length) lines.push('', 'Not measured:', ...skipped.map((s) => `- ${s}`));
  return lines.join('\n');
}
