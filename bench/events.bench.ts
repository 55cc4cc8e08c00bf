/**
 * Events benchmark (`npm run bench -- events`).
 *
 * 1. Cold start, in fresh Node processes (median of several): import the root entry, then parse one event with
 *    `validate: 'envelope'` (the default) or `'full'`, and count the per-type schemas built. The entry is bundled from
 *    src with esbuild exactly like tsup bundles dist (ESM, zod external) into `.tmp/bench-events/`, so the figure
 *    does not depend on a stale dist. Baselines: importing zod alone, and building all (136) schemas eagerly.
 * 2. Parse throughput per mode (envelope / full / strict), JSON.parse included, vs bare `JSON.parse` of the same
 *    bodies (a mix of all 136 event types).
 * 3. `tsc --noEmit` time and memory of the event type tests (narrowing, and the schema/type equality proof), vs a
 *    file that only imports vitest (tsc start-up and lib types).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Bench } from 'tinybench';
import { parseWorkOSEvent, preloadWorkOSEventSchemas, WORKOS_EVENT_NAMES } from '../src/index.js';
import { createTestEvent } from '../src/testing/test-event.js';
import type { BenchContext } from './run.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const tmp = path.join(root, '.tmp/bench-events');
const COLD_RUNS = 9;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const fmt = (n: number, digits = 1): string => n.toFixed(digits);

async function bundle(): Promise<string> {
  mkdirSync(tmp, { recursive: true });
  const entry = path.join(tmp, 'entry.ts');
  writeFileSync(
    entry,
    // The root only: the schemas module (zod) loads on demand, reached below through the process-wide slot.
    `export * from ${JSON.stringify(path.join(root, 'src/index.ts'))};`,
  );
  const outfile = path.join(tmp, 'entry.js');
  await build({
    entryPoints: [entry],
    outdir: tmp,
    // Splitting keeps the schemas (and zod's import) in their own chunk, loaded by the dynamic import() as in an app.
    splitting: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['zod'],
    logLevel: 'error',
  });
  return outfile;
}

interface ColdResult {
  importMs: number;
  parseMs: number;
  built: number;
}

function coldRun(script: string): ColdResult {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as ColdResult;
}

function coldScript(bundlePath: string, body: string, mode: 'envelope' | 'full' | 'eager' | 'zod'): string {
  if (mode === 'zod') {
    return `const t0 = performance.now(); await import('zod'); const t1 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, parseMs: 0, built: 0 }));`;
  }
  const work =
    mode === 'eager'
      ? 'await m.preloadWorkOSEventSchemas(); for (const n of m.WORKOS_EVENT_NAMES) schemas().specEventSchema(n);'
      : // 'full' needs the schemas, loaded on demand (counted in the work): preload, as a synchronous caller must.
        `${mode === 'full' ? 'await m.preloadWorkOSEventSchemas(); ' : ''}m.parseWorkOSEvent(JSON.parse(${JSON.stringify(body)}), { validate: '${mode}' });`;
  return `const schemas = () => globalThis[Symbol.for('workos-events.schemas')]?.loaded;
const t0 = performance.now(); const m = await import(${JSON.stringify(bundlePath)}); const t1 = performance.now();
${work} const t2 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, parseMs: t2 - t1, built: schemas()?.builtSchemaCount() ?? 0 }));`;
}

async function coldStart(ctx: BenchContext): Promise<string> {
  const bundlePath = await bundle();
  const body = JSON.stringify(createTestEvent('dsync.user.created'));
  const rows: string[] = [];
  const results: Record<string, ColdResult> = {};
  for (const mode of ['zod', 'envelope', 'full', 'eager'] as const) {
    ctx.log(`cold start: ${mode} × ${COLD_RUNS}`);
    const runs = Array.from({ length: COLD_RUNS }, () => coldRun(coldScript(bundlePath, body, mode)));
    results[mode] = {
      importMs: median(runs.map((r) => r.importMs)),
      parseMs: median(runs.map((r) => r.parseMs)),
      built: runs[0]!.built,
    };
  }
  const label: Record<string, string> = {
    zod: '`import("zod")` alone (baseline)',
    envelope: "root entry + first parse, `validate: 'envelope'` (default)",
    full: "root entry + first parse, `validate: 'full'`",
    eager: `root entry + building all ${WORKOS_EVENT_NAMES.length} schemas (what laziness avoids)`,
  };
  for (const [mode, r] of Object.entries(results)) {
    rows.push(
      `| ${label[mode]} | ${fmt(r.importMs)} | ${fmt(r.parseMs, 2)} | ${fmt(r.importMs + r.parseMs)} | ${mode === 'zod' ? '—' : r.built} |`,
    );
  }
  const base = results.zod!.importMs;
  const env = results.envelope!;
  return [
    `### Cold start (fresh process, median of ${COLD_RUNS})`,
    '',
    'Root entry bundled from src by esbuild (ESM, code splitting, zod external): the schemas chunk loads only on demand,',
    "for `'full'` through `preloadWorkOSEventSchemas()`, counted in the work column.",
    '',
    '| scenario | import (ms) | first parse / work (ms) | total (ms) | schemas built |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    '',
    `Import + first default parse costs ${fmt(env.importMs + env.parseMs)} ms, ${fmt((env.importMs + env.parseMs) / base, 2)}× importing zod alone; building all schemas up front would add ${fmt(results.eager!.parseMs)} ms.`,
  ].join('\n');
}

async function throughput(ctx: BenchContext): Promise<string> {
  const bodies = WORKOS_EVENT_NAMES.map((n) => JSON.stringify(createTestEvent(n)));
  // Warm the schema caches so the steady state is measured (cold cost is in the table above).
  await preloadWorkOSEventSchemas();
  for (const b of bodies) parseWorkOSEvent(JSON.parse(b), { validate: 'strict' });
  let i = 0;
  const next = (): string => bodies[i++ % bodies.length]!;
  const bench = new Bench({ time: 1500, warmup: true });
  bench
    .add('JSON.parse only (baseline)', () => {
      JSON.parse(next());
    })
    .add("JSON.parse + parseWorkOSEvent 'envelope'", () => {
      parseWorkOSEvent(JSON.parse(next()), { validate: 'envelope' });
    })
    .add("JSON.parse + parseWorkOSEvent 'full'", () => {
      parseWorkOSEvent(JSON.parse(next()), { validate: 'full' });
    })
    .add("JSON.parse + parseWorkOSEvent 'strict'", () => {
      parseWorkOSEvent(JSON.parse(next()), { validate: 'strict' });
    });
  ctx.log('throughput: 4 tasks × 1.5 s');
  await bench.run();
  const hz = bench.tasks.map((t) => {
    const r = t.result as { throughput?: { mean: number }; hz?: number } | undefined;
    return { name: t.name, hz: r?.throughput?.mean ?? r?.hz ?? 0 };
  });
  const base = hz[0]!.hz;
  const avgBytes = bodies.reduce((s, b) => s + b.length, 0) / bodies.length;
  return [
    `### Parse throughput (all ${WORKOS_EVENT_NAMES.length} types in rotation, average body ${Math.round(avgBytes)} bytes)`,
    '',
    '| task | events/s | µs/event | time vs JSON.parse |',
    '|---|---:|---:|---:|',
    ...hz.map(
      (t) =>
        `| ${t.name} | ${Math.round(t.hz).toLocaleString('en-US')} | ${fmt(1e6 / t.hz, 2)} | ${fmt(base / t.hz, 2)}× |`,
    ),
  ].join('\n');
}

interface TscResult {
  seconds: number;
  memoryMb: number;
  types: number;
}

function tsc(files: string[], name: string): TscResult {
  const config = path.join(tmp, `tsconfig.${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noEmit: true }, include: files }),
  );
  const runs: TscResult[] = [];
  for (let r = 0; r < 3; r++) {
    const res = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', config, '--extendedDiagnostics'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    const out = res.stdout;
    if (res.status !== 0) throw new Error(`tsc failed for ${name}:\n${out.slice(0, 2000)}`);
    const num = (label: string): number => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(out)?.[1] ?? Number.NaN);
    runs.push({ seconds: num('Total time'), memoryMb: num('Memory used') / 1024, types: num('Types') });
  }
  return {
    seconds: median(runs.map((r) => r.seconds)),
    memoryMb: median(runs.map((r) => r.memoryMb)),
    types: runs[0]!.types,
  };
}

function typeCheck(ctx: BenchContext): string {
  const baselineFile = path.join(tmp, 'baseline.test-d.ts');
  writeFileSync(baselineFile, "import { expectTypeOf } from 'vitest';\nexpectTypeOf(1).toEqualTypeOf<number>();\n");
  const cases: Array<[string, string[]]> = [
    ['a file importing only vitest (baseline)', [baselineFile]],
    [
      'test/events/narrowing.test-d.ts (switch, guards, unknown events, createTestEvent)',
      ['../../test/events/narrowing.test-d.ts'],
    ],
    [
      `test/events/schema-types.test-d.ts (z.infer of ${WORKOS_EVENT_NAMES.length} schemas = interfaces)`,
      ['../../test/events/schema-types.test-d.ts'],
    ],
    [
      'both event type-test files',
      ['../../test/events/narrowing.test-d.ts', '../../test/events/schema-types.test-d.ts'],
    ],
  ];
  // What a user's tsc sees: the emitted declarations (interfaces only, no zod inference) and a handler that
  // switches over every known type, reading a field in each branch.
  ctx.log('tsc: emitting declarations of src/events');
  const dtsConfig = path.join(tmp, 'tsconfig.dts.json');
  writeFileSync(
    dtsConfig,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        outDir: 'dts',
        rootDir: '../../src',
      },
      include: ['../../src/events/index.ts'],
    }),
  );
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dtsConfig], { cwd: root });
  const consumer = path.join(tmp, 'consumer.ts');
  writeFileSync(
    consumer,
    [
      "import { isWorkOSEvent, type WorkOSEvent } from './dts/events/index.js';",
      'export function email(event: WorkOSEvent): string | undefined {',
      "  return isWorkOSEvent(event, 'user.created') ? event.data.email : undefined;",
      '}',
      'export function handle(event: WorkOSEvent): unknown {',
      '  switch (event.event) {',
      ...WORKOS_EVENT_NAMES.map((n) => `    case '${n}': return event.data;`),
      '    default: return event.data;',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  cases.push([
    `a user file switching over all ${WORKOS_EVENT_NAMES.length} types, against the emitted .d.ts`,
    [consumer],
  ]);
  const rows: string[] = [];
  let base = 0;
  for (const [i, [label, files]] of cases.entries()) {
    ctx.log(`tsc: ${label}`);
    const r = tsc(files, `case${i}`);
    if (i === 0) base = r.seconds;
    rows.push(
      `| ${label} | ${fmt(r.seconds, 2)} | ${i === 0 ? '—' : `${r.seconds >= base ? '+' : '−'}${fmt(Math.abs(r.seconds - base), 2)}`} | ${Math.round(r.memoryMb)} | ${r.types.toLocaleString('en-US')} |`,
    );
  }
  return [
    '### Type-check cost (`tsc --noEmit --extendedDiagnostics`, median of 3)',
    '',
    '| files checked | total (s) | over baseline (s) | memory (MB) | types |',
    '|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

export default async function eventsBench(ctx: BenchContext): Promise<string> {
  const cold = await coldStart(ctx);
  const tput = await throughput(ctx);
  const types = typeCheck(ctx);
  return ['## Events: cold start, parse throughput, type-check cost', '', cold, '', tput, '', types].join('\n');
}
