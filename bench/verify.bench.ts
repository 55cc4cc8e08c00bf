/**
 * Verification benchmark (`npm run bench -- verify`).
 *
 * - Steady state on this Node: our sync/async verify+parse vs the raw bound (createHmac + timingSafeEqual +
 *   JSON.parse inline), WebCrypto path vs a cached-key `subtle.verify` bound.
 * - The SDK (`@workos-inc/node` 11 needs Node >= 22): a Node 22 child process (scripts/with-node.sh) measures the
 *   SDK's `webhooks.constructEvent`, our functions and the raw bound in the same process, so the ratios are fair.
 * - Cold start: import + first verify in fresh processes (median of several runs), from the built dist/.
 * - Size: dist/index.js bundled and minified with zod external (bytes and gzip).
 *
 * The same file is the child's script: run with WORKOS_EVENTS_BENCH_CHILD=sdk it prints JSON and exits.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { Bench } from 'tinybench';
import {
  signWorkOSWebhook,
  verifyWorkOSSignatureSync,
  verifyWorkOSWebhook,
  verifyWorkOSWebhookSync,
} from '../src/index.js';
import { checkSignature } from '../src/verify/signature.js';
import { webCryptoProvider } from '../src/verify/webcrypto.js';
import { verifyWebhook } from '../src/webhook/verify-webhook.js';
import type { BenchContext } from './run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4';
const TIME_MS = Number(process.env.VERIFY_BENCH_TIME_MS ?? 2500);
const ROUNDS = 5;

/** A realistic dsync.user.created delivery of about 1.1 KB. */
function realisticBody(): string {
  return JSON.stringify({
    id: 'event_01JD8N3X4Y5Z6A7B8C9D0EFGHJ',
    event: 'dsync.user.created',
    data: {
      object: 'directory_user',
      id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
      directory_id: 'directory_01ECAZ4NV9QMV47GW873HDCX74',
      organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
      idp_id: '2836',
      email: 'marcelina.davis@example.com',
      first_name: 'Marcelina',
      last_name: 'Dávis',
      emails: [{ primary: true, type: 'work', value: 'marcelina.davis@example.com' }],
      job_title: 'Software Engineer',
      username: 'mdavis',
      state: 'active',
      raw_attributes: {
        department: 'Engineering',
        title: 'Software Engineer',
        manager: { value: '2811', displayName: 'Zoë Müller' },
        locale: 'pl-PL',
        addresses: [{ primary: true, locality: 'Warszawa', country: 'PL', postalCode: '00-001' }],
      },
      custom_attributes: { department: 'Engineering', job_title: 'Software Engineer', cost_center: 'R&D-042' },
      role: { slug: 'member' },
      roles: [{ slug: 'member' }, { slug: 'billing-viewer' }],
      groups: [{ id: 'directory_group_01E1JJS84MFPPQ3G655FHTKX6Z', name: 'Engineering' }],
      created_at: '2026-01-15T12:00:00.000Z',
      updated_at: '2026-01-15T12:00:00.000Z',
    },
    created_at: '2026-01-15T12:00:00.123Z',
  });
}

interface Row {
  name: string;
  /** Mean latency in microseconds. */
  us: number;
  /** Median latency in microseconds (median over the rounds). */
  p50: number;
  /** Median latency of each round, for per-round ratios. */
  p50s: number[];
  rme: number;
}

/**
 * Runs the tasks in ROUNDS interleaved rounds (every task once per round) so a load change on the shared machine hits
 * all tasks alike; ratios are the median of the per-round ratios of medians.
 */
async function measure(tasks: Record<string, () => unknown>): Promise<Record<string, Row>> {
  const samples: Record<string, { means: number[]; p50s: number[]; rmes: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME_MS / ROUNDS, warmupTime: round === 0 ? 300 : 50 });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== 'completed')
        throw new Error(`bench task ${task.name} ${r.state}: ${'error' in r ? r.error : ''}`);
      samples[task.name] ??= { means: [], p50s: [], rmes: [] };
      const s = samples[task.name]!;
      s.means.push(r.latency.mean * 1000);
      s.p50s.push(r.latency.p50 * 1000);
      s.rmes.push(r.latency.rme);
    }
  }
  const rows: Record<string, Row> = {};
  for (const [name, s] of Object.entries(samples)) {
    rows[name] = {
      name,
      us: s.means.reduce((a, b) => a + b, 0) / s.means.length,
      p50: median(s.p50s),
      p50s: s.p50s,
      rme: median(s.rmes),
    };
  }
  return rows;
}

/** The Node tasks: ours vs the raw bound (run in this process and again in the Node 22 child). */
function nodeTasks(body: string, header: string): Record<string, () => unknown> {
  const bytes = Buffer.from(body);
  const input = { payload: body, signature: header, secret: SECRET };
  const bufInput = { payload: bytes, signature: header, secret: SECRET };
  const noValidation = { payload: body, signature: header, secret: SECRET, validate: 'none' as const };
  const secondsHeader = signWorkOSWebhook({ payload: body, secret: SECRET, timestampUnit: 's' });
  const secondsInput = { payload: body, signature: secondsHeader, secret: SECRET };
  return {
    // The least any verifier must do: find t and v1, HMAC "<t>." + body, compare, parse.
    'raw bound (createHmac + timingSafeEqual + JSON.parse)': () => {
      const comma = header.indexOf(',');
      const t = header.slice(2, comma);
      const sig = Buffer.from(header.slice(header.indexOf('v1=') + 3), 'hex');
      const mac = createHmac('sha256', SECRET).update(`${t}.`).update(body).digest();
      if (!timingSafeEqual(mac, sig)) throw new Error('mismatch');
      return JSON.parse(body);
    },
    'verifyWorkOSWebhookSync (string body)': () => verifyWorkOSWebhookSync(input),
    'verifyWorkOSWebhookSync (Buffer body)': () => verifyWorkOSWebhookSync(bufInput),
    'verifyWorkOSWebhook (async, node:crypto)': () => verifyWorkOSWebhook(input),
    "verifyWorkOSWebhookSync (validate: 'none', no zod)": () => verifyWorkOSWebhookSync(noValidation),
    'verifyWorkOSWebhookSync (t in seconds, as the CLI emulator signs)': () => verifyWorkOSWebhookSync(secondsInput),
    'raw bound, signature only (createHmac + timingSafeEqual)': () => {
      const sig = Buffer.from(header.slice(header.indexOf('v1=') + 3), 'hex');
      const t = header.slice(2, header.indexOf(','));
      return timingSafeEqual(createHmac('sha256', SECRET).update(`${t}.`).update(body).digest(), sig);
    },
    verifyWorkOSSignatureSync: () => verifyWorkOSSignatureSync(input),
  };
}

const fmt = (us: number) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
/** Median over rounds of a's median ÷ b's median. */
const rel = (a: Row, b: Row) => median(a.p50s.map((x, i) => x / b.p50s[i]!));
const ratio = (a: Row, b: Row) => `${rel(a, b).toFixed(2)}×`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Node 22 child: the SDK next to our functions and the bound, in one process. */
async function sdkChild(): Promise<void> {
  const { WorkOS } = (await import('@workos-inc/node')) as unknown as {
    WorkOS: new (
      key: string,
    ) => { webhooks: { constructEvent(o: { payload: unknown; sigHeader: string; secret: string }): Promise<unknown> } };
  };
  const webhooks = new WorkOS('sk_test_bench').webhooks;
  const body = realisticBody();
  const header = signWorkOSWebhook({ payload: body, secret: SECRET });
  const rows = await measure({
    ...nodeTasks(body, header),
    'SDK webhooks.constructEvent': () => webhooks.constructEvent({ payload: body, sigHeader: header, secret: SECRET }),
  });
  process.stdout.write(`${JSON.stringify({ node: process.version, rows })}\n`);
}

/** Import + first verify in a fresh process, `runs` times; medians in ms. */
function coldStart(
  node: string[],
  script: string,
  env: Record<string, string>,
  runs: number,
): { importMs: number; firstMs: number } {
  const imports: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(node[0]!, [...node.slice(1), '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { importMs, firstMs } = JSON.parse(out.trim().split('\n').pop()!) as { importMs: number; firstMs: number };
    imports.push(importMs);
    firsts.push(firstMs);
  }
  return { importMs: median(imports), firstMs: median(firsts) };
}

const COLD_OURS = `
const t0 = performance.now();
const m = await import(process.env.ENTRY);
const t1 = performance.now();
const e = await m[process.env.FN]({ payload: process.env.BODY, signature: process.env.HEADER, secret: process.env.SECRET });
const t2 = performance.now();
if (e.event !== 'dsync.user.created') throw new Error('bad event');
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1 }));`;

const COLD_ZOD = `
const t0 = performance.now();
await import('zod');
console.log(JSON.stringify({ importMs: performance.now() - t0, firstMs: 0 }));`;

const COLD_SDK = `
const t0 = performance.now();
const { WorkOS } = await import('@workos-inc/node');
const t1 = performance.now();
const e = await new WorkOS('sk_test_bench').webhooks.constructEvent({ payload: process.env.BODY, sigHeader: process.env.HEADER, secret: process.env.SECRET });
const t2 = performance.now();
if (e.event !== 'dsync.user.created') throw new Error('bad event');
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1 }));`;

function node22(): string[] {
  // scripts/with-node.sh installs Node 22 on first use and puts it first on PATH.
  const bin = execFileSync('bash', ['scripts/with-node.sh', '22', 'sh', '-c', 'command -v node'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  return [bin];
}

/** Leaves the generated zod schema modules out of a bundle (the "without zod schemas" size). */
const withoutGeneratedSchemas: Plugin = {
  name: 'without-generated-schemas',
  setup(b) {
    b.onResolve({ filter: /generated\/(schemas|examples)\.js$/ }, (a) => ({ path: a.path, external: true }));
  },
};

async function minifiedSize(
  entry: string,
  contents?: string,
  plugins: Plugin[] = [],
): Promise<{ bytes: number; gzip: number; verifyBytes: number }> {
  const result = await build({
    ...(contents
      ? { stdin: { contents, resolveDir: root, sourcefile: 'entry.mjs', loader: 'js' } }
      : { entryPoints: [entry] }),
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'node',
    external: ['zod'],
    plugins,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  // How much of the minified output comes from src/verify/ (only known when bundling from source).
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const verifyBytes = Object.entries(inputs)
    .filter(([file]) => file.startsWith('src/verify/'))
    .reduce((sum, [, info]) => sum + info.bytesInOutput, 0);
  return { bytes: code.length, gzip: gzipSync(code).length, verifyBytes };
}

export default async function verifyBench(ctx: BenchContext): Promise<string> {
  const body = realisticBody();
  const header = signWorkOSWebhook({ payload: body, secret: SECRET });
  const out: string[] = [];
  out.push(
    `Payload: realistic \`dsync.user.created\` delivery, ${Buffer.byteLength(body)} bytes; one secret; ` +
      `default \`validate: 'envelope'\`; ${TIME_MS} ms per task (tinybench). Tasks run in 5 interleaved rounds; a ratio is the median over rounds of the ratio of median latencies (the 2 cores are shared, so means are noisy; they are shown too).`,
  );

  ctx.log(`verify: steady state on ${process.version}`);
  const local = await measure(nodeTasks(body, header));
  const bound = local['raw bound (createHmac + timingSafeEqual + JSON.parse)']!;
  const sigBound = local['raw bound, signature only (createHmac + timingSafeEqual)']!;
  out.push(`\n### Node ${process.version}: our node:crypto path vs the raw bound\n`);
  out.push('| task | mean µs | median µs | ±% | vs bound |', '|---|---:|---:|---:|---:|');
  for (const r of Object.values(local)) {
    const b = r.name.includes('Signature') || r.name.includes('signature only') ? sigBound : bound;
    out.push(`| ${r.name} | ${fmt(r.us)} | ${fmt(r.p50)} | ${r.rme.toFixed(1)} | ${ratio(r, b)} |`);
  }
  const sync = local['verifyWorkOSWebhookSync (string body)']!;
  const asyncRow = local['verifyWorkOSWebhook (async, node:crypto)']!;
  const noZod = local["verifyWorkOSWebhookSync (validate: 'none', no zod)"]!;

  ctx.log('verify: WebCrypto');
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const enc = new TextEncoder();
  const input = { payload: body, signature: header, secret: SECRET };
  const web = await measure({
    'bound: cached key + subtle.verify': async () => {
      const t = header.slice(2, header.indexOf(','));
      const sig = Buffer.from(header.slice(header.indexOf('v1=') + 3), 'hex');
      if (!(await crypto.subtle.verify('HMAC', key, sig, enc.encode(`${t}.${body}`)))) throw new Error('mismatch');
    },
    'verifyWorkOSSignature (WebCrypto provider)': () => checkSignature(webCryptoProvider, input),
    'bound + JSON.parse': async () => {
      const t = header.slice(2, header.indexOf(','));
      const sig = Buffer.from(header.slice(header.indexOf('v1=') + 3), 'hex');
      if (!(await crypto.subtle.verify('HMAC', key, sig, enc.encode(`${t}.${body}`)))) throw new Error('mismatch');
      return JSON.parse(body);
    },
    'verifyWorkOSWebhook (WebCrypto provider, as in dist/edge)': () => verifyWebhook(webCryptoProvider, input),
  });
  out.push(`\n### WebCrypto path (what the edge build runs) vs a cached-key \`subtle.verify\` bound\n`);
  out.push('| task | mean µs | median µs | ±% | vs bound |', '|---|---:|---:|---:|---:|');
  const wb = web['bound: cached key + subtle.verify']!;
  const wbp = web['bound + JSON.parse']!;
  const webSig = web['verifyWorkOSSignature (WebCrypto provider)']!;
  const webFull = web['verifyWorkOSWebhook (WebCrypto provider, as in dist/edge)']!;
  for (const r of Object.values(web)) {
    const b = r.name.includes('Webhook') || r.name.includes('JSON') ? wbp : wb;
    out.push(`| ${r.name} | ${fmt(r.us)} | ${fmt(r.p50)} | ${r.rme.toFixed(1)} | ${ratio(r, b)} |`);
  }

  ctx.log('verify: SDK comparison in a Node 22 child');
  let sdkLine = '';
  let n22: string[] | undefined;
  try {
    n22 = node22();
    const child = execFileSync(n22[0]!, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      cwd: root,
      env: { ...process.env, WORKOS_EVENTS_BENCH_CHILD: 'sdk' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    const { node, rows } = JSON.parse(child.trim().split('\n').pop()!) as { node: string; rows: Record<string, Row> };
    const sdk = rows['SDK webhooks.constructEvent']!;
    const b22 = rows['raw bound (createHmac + timingSafeEqual + JSON.parse)']!;
    out.push(`\n### Node ${node} (child process): vs the official SDK \`webhooks.constructEvent\`\n`);
    out.push('| task | mean µs | median µs | ±% | SDK ÷ this |', '|---|---:|---:|---:|---:|');
    for (const r of Object.values(rows)) {
      out.push(`| ${r.name} | ${fmt(r.us)} | ${fmt(r.p50)} | ${r.rme.toFixed(1)} | ${ratio(sdk, r)} |`);
    }
    const s22 = rows['verifyWorkOSWebhookSync (string body)']!;
    const a22 = rows['verifyWorkOSWebhook (async, node:crypto)']!;
    sdkLine =
      `- ≥ 35× faster than the SDK (Node ${node}): sync **${rel(sdk, s22).toFixed(1)}×**, async **${rel(sdk, a22).toFixed(1)}×** ` +
      `${rel(sdk, s22) >= 35 && rel(sdk, a22) >= 35 ? '(met)' : '(MISSED)'}; on Node ${node} sync is ${ratio(s22, b22)} the raw bound.`;
  } catch (err) {
    sdkLine = `- SDK comparison not measured: ${(err as Error).message.split('\n')[0]}`;
  }

  ctx.log('verify: cold start');
  const entry = path.join(root, 'dist/index.js');
  const edgeEntry = path.join(root, 'dist/edge/index.js');
  const RUNS = 7;
  if (existsSync(entry)) {
    const env = { BODY: body, HEADER: signWorkOSWebhook({ payload: body, secret: SECRET }), SECRET };
    const nodeCold = coldStart(
      [process.execPath],
      COLD_OURS,
      { ...env, ENTRY: pathToFileURL(entry).href, FN: 'verifyWorkOSWebhookSync' },
      RUNS,
    );
    out.push(`\n### Cold start: import + first verify (fresh processes, median of ${RUNS})\n`);
    out.push('| what | Node | import ms | first verify ms |', '|---|---|---:|---:|');
    out.push(
      `| \`workos-events\` dist/index.js, \`verifyWorkOSWebhookSync\` | ${process.version} | ${nodeCold.importMs.toFixed(1)} | ${nodeCold.firstMs.toFixed(2)} |`,
    );
    const zodCold = coldStart([process.execPath], COLD_ZOD, {}, RUNS);
    out.push(`| (baseline) \`import('zod')\` alone | ${process.version} | ${zodCold.importMs.toFixed(1)} | – |`);
    if (existsSync(edgeEntry)) {
      const edgeCold = coldStart(
        [process.execPath],
        COLD_OURS,
        { ...env, ENTRY: pathToFileURL(edgeEntry).href, FN: 'verifyWorkOSWebhook' },
        RUNS,
      );
      out.push(
        `| \`workos-events\` dist/edge/index.js (WebCrypto), \`await verifyWorkOSWebhook\` | ${process.version} | ${edgeCold.importMs.toFixed(1)} | ${edgeCold.firstMs.toFixed(2)} |`,
      );
    }
    if (n22) {
      const ours22 = coldStart(
        n22,
        COLD_OURS,
        { ...env, ENTRY: pathToFileURL(entry).href, FN: 'verifyWorkOSWebhookSync' },
        RUNS,
      );
      const sdk22 = coldStart(n22, COLD_SDK, env, RUNS);
      out.push(
        `| \`workos-events\` dist/index.js, \`verifyWorkOSWebhookSync\` | Node 22 | ${ours22.importMs.toFixed(1)} | ${ours22.firstMs.toFixed(2)} |`,
      );
      out.push(
        `| \`@workos-inc/node\` \`constructEvent\` | Node 22 | ${sdk22.importMs.toFixed(1)} | ${sdk22.firstMs.toFixed(2)} |`,
      );
    }

    ctx.log('verify: size');
    const full = await minifiedSize(entry);
    const verifyOnly = await minifiedSize(
      entry,
      `export { verifyWorkOSWebhook, verifyWorkOSWebhookSync, WorkOSWebhookError } from ${JSON.stringify(entry)};`,
    );
    const sigOnly = await minifiedSize(
      entry,
      `export { verifyWorkOSSignature, verifyWorkOSSignatureSync, signWorkOSWebhook } from ${JSON.stringify(entry)};`,
    );
    const noSchemas = await minifiedSize(path.join(root, 'src/index.ts'), undefined, [withoutGeneratedSchemas]);
    out.push(`\n### Size (esbuild bundle, minified, zod external)\n`);
    out.push('| what | bytes | gzip |', '|---|---:|---:|');
    out.push(
      `| root entry \`dist/index.js\`, everything it exports (incl. the generated event schemas) | ${full.bytes} | ${full.gzip} |`,
    );
    out.push(
      `| \`import { verifyWorkOSWebhook, verifyWorkOSWebhookSync, WorkOSWebhookError }\` (tree-shaken) | ${verifyOnly.bytes} | ${verifyOnly.gzip} |`,
    );
    out.push(
      `| \`import { verifyWorkOSSignature, verifyWorkOSSignatureSync, signWorkOSWebhook }\` (tree-shaken) | ${sigOnly.bytes} | ${sigOnly.gzip} |`,
    );
    out.push(
      `| root entry from source without the generated zod schemas (\`src/events/generated/{schemas,examples}\`) | ${noSchemas.bytes} | ${noSchemas.gzip} |`,
      `| … of which the verifier (\`src/verify/**\`) | ${noSchemas.verifyBytes} | – |`,
    );
    out.push('\n### Targets\n');
    out.push(
      `- sync verify+parse ≤ 1.15× the raw bound: **${ratio(sync, bound)}** ${rel(sync, bound) <= 1.15 ? '(met)' : '(MISSED)'}; async: ${ratio(asyncRow, bound)}; ` +
        `without the zod envelope check (\`validate: 'none'\`, same work as the bound): ${ratio(noZod, bound)}; signature only: ${ratio(local.verifyWorkOSSignatureSync!, sigBound)}.`,
      sdkLine,
      `- WebCrypto ≤ 1.2× its bound: signature only **${ratio(webSig, wb)}**, with parse **${ratio(webFull, wbp)}** ${rel(webSig, wb) <= 1.2 && rel(webFull, wbp) <= 1.2 ? '(met)' : '(MISSED)'}.`,
      `- root entry < 15 KB minified without the zod schemas: **${(noSchemas.bytes / 1024).toFixed(1)} KB** ${noSchemas.bytes < 15 * 1024 ? '(met)' : '(MISSED: the root now also exports the handler, Events API client and reconcile)'}; the verifier's share is ${(noSchemas.verifyBytes / 1024).toFixed(1)} KB; with the schemas ${(full.bytes / 1024).toFixed(1)} KB (${(full.gzip / 1024).toFixed(1)} KB gzip).`,
    );
  } else {
    out.push('\nCold start and size not measured: dist/index.js is missing (run `npm run build` first).');
    out.push('\n### Targets\n', `- sync verify+parse vs raw bound: ${ratio(sync, bound)}`, sdkLine);
  }
  return out.join('\n');
}

if (process.env.WORKOS_EVENTS_BENCH_CHILD === 'sdk') {
  await sdkChild();
}
