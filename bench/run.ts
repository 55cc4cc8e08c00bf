/**
 * `npm run bench [-- <name>...]`: runs bench/<name>.bench.ts files (all by default) and writes each one's
 * markdown section into docs/benchmarks.md between `<!-- bench:<name> -->` markers, so one area can be
 * re-measured without erasing the others. Every section records the machine and the date it was measured on.
 *
 * A bench file default-exports `async (ctx: BenchContext) => string` returning its markdown (tables with the
 * baseline measured in the same run and the ratio to it).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchContext {
  /** One line: CPU model, cores, memory, OS, Node version. */
  machine: string;
  /** ISO date of the run. */
  date: string;
  /** Progress output (stderr), so stdout stays clean. */
  log(message: string): void;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const docFile = path.resolve(here, '../docs/benchmarks.md');

function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const mem = Math.round(os.totalmem() / 2 ** 30);
  return `${cpu}, ${os.cpus().length} cores, ${mem} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

function upsertSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from >= 0 && to > from) return doc.slice(0, from) + block + doc.slice(to + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const available = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort();
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length)
    throw new Error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  const names = wanted.length ? wanted : available;
  const ctx: BenchContext = {
    machine: machine(),
    date: new Date().toISOString().slice(0, 10),
    log: (m) => process.stderr.write(`${m}\n`),
  };
  let doc = existsSync(docFile)
    ? readFileSync(docFile, 'utf8')
    : '# Benchmarks\n\nProduced by `npm run bench` (or `npm run bench -- <name>` for one section). Each section names the machine and date it was measured on; ratios compare against a baseline measured in the same run.\n';
  for (const name of names) {
    ctx.log(`\n### bench: ${name}`);
    const mod = (await import(pathToFileURL(path.join(here, `${name}.bench.ts`)).href)) as {
      default: (c: BenchContext) => Promise<string>;
    };
    const section = await mod.default(ctx);
    doc = upsertSection(doc, name, `${section.trim()}\n\n_Measured ${ctx.date} on ${ctx.machine}._`);
    writeFileSync(docFile, doc);
    process.stdout.write(`${section.trim()}\n\n`);
  }
  ctx.log(`\nwrote ${path.relative(process.cwd(), docFile)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
