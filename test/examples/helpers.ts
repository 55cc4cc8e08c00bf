/**
 * Runs the examples as users do: real processes that import `workos-events` by name. Each example's
 * `node_modules/workos-events` links to the repository (what `npm install` does for `"workos-events": "file:../.."`),
 * so the package's `exports` map and its built `dist/` are what the examples load.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { signWorkOSWebhook } from '../../src/testing/index.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES = path.join(REPO, 'examples');
const TSX_LOADER = pathToFileURL(path.join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const mtime = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : 0);

/** The dist files the examples and the packaging tests load. */
const DIST = [
  'index.js',
  'testing/index.js',
  'testing/vitest.js',
  'testing/fast-check.js',
  'adapters/express.js',
  'adapters/fastify.js',
  'idempotency/stores/sqlite.js',
  'idempotency/stores/redis.js',
  'idempotency/stores/postgres.js',
  'queues/bullmq.js',
  'queues/pg-boss.js',
].map((f) => path.join(REPO, 'dist', f));

/** Runs `npm run build` when dist is missing or older than src/ (CI builds first; this is for local runs). */
export function ensureLibraryBuilt(): void {
  const built = Math.min(...DIST.map(mtime));
  if (built > Math.max(newestMtime(path.join(REPO, 'src')), mtime(path.join(REPO, 'package.json')))) return;
  console.warn('[examples] dist is missing or older than src: running npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
}

/** `examples/<name>/node_modules/workos-events` → the repository. */
export function linkPackage(exampleDir: string): void {
  const modules = path.join(exampleDir, 'node_modules');
  const link = path.join(modules, 'workos-events');
  const target = path.relative(modules, REPO);
  mkdirSync(modules, { recursive: true });
  let current: string | undefined;
  try {
    current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : 'not a link';
  } catch {
    current = undefined;
  }
  if (current === target) return;
  if (current !== undefined) unlinkSync(link);
  symlinkSync(target, link, 'dir');
}

/** Builds (if needed) and links the package for `example`; returns its directory. */
export function prepareExample(example: string): string {
  const dir = path.join(EXAMPLES, example);
  ensureLibraryBuilt();
  linkPackage(dir);
  return dir;
}

/** A running example process. */
export interface ExampleProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name). */
  exited(): Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | string>;
}

/** Starts `examples/<dir>/<file>` with tsx under the running Node (20, 22 or 24), with only `env` set. */
export function startExample(
  dir: string,
  file: string,
  env: Record<string, string | undefined>,
  args: string[] = [],
): ExampleProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, file, ...args], {
    cwd: dir,
    // Only what the example needs: nothing from the developer's shell (a stray WORKOS_* would change the test).
    env: { PATH: process.env.PATH, NODE_NO_WARNINGS: '1', ...env } as Record<
      string,
      string | undefined
    > as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const l of listeners) l();
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (!running()) {
            done();
            reject(new Error(`process exited before printing ${pattern}:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${pattern}:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    exited: () => exit,
    async stop(graceMs = 10_000) {
      if (!running()) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}

/** POSTs `body` to `url`, signed with `secret` (or with the given header), and returns status and JSON body. */
export async function postWebhook(
  url: string,
  body: string,
  signature: { secret: string; timestamp?: number } | { header: string } | null,
): Promise<{ status: number; body: { status?: string; code?: string } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature && 'header' in signature) headers['workos-signature'] = signature.header;
  else if (signature) headers['workos-signature'] = signWorkOSWebhook({ payload: body, ...signature });
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as { status?: string; code?: string } };
}
