/**
 * Builds and runs a Next.js app that uses workos-events by its package name (examples/next, the adapters bench).
 * The app resolves `workos-events` through `node_modules/workos-events → the repository`, which is what
 * `npm install` does for its `"workos-events": "file:../.."` dependency, so no separate install is needed.
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
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NEXT_BIN = path.join(REPO, 'node_modules/next/dist/bin/next');

/** Newest modification time (ms) of the files under `dir`, skipping build output and dependencies. */
export function newestMtime(dir: string, skip: readonly string[] = ['.next', 'node_modules', 'dist']): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, skip));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** The library's dist files a Next app loads (Node and edge builds, with types). */
const DIST_FILES = [
  'dist/index.js',
  'dist/index.d.ts',
  'dist/adapters/next.js',
  'dist/adapters/next.d.ts',
  'dist/edge/index.js',
  'dist/edge/adapters/next.js',
].map((f) => path.join(REPO, f));

/** Runs `npm run build` when dist is missing or older than src/ (CI builds first, so this is for local runs). */
export function ensureLibraryBuilt(log: (m: string) => void = () => {}): number {
  const sources = Math.max(newestMtime(path.join(REPO, 'src')), mtime(path.join(REPO, 'package.json')));
  const built = Math.min(...DIST_FILES.map(mtime));
  if (built > sources) return 0;
  log('workos-events: dist is missing or stale, running npm run build');
  const started = Date.now();
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  return Date.now() - started;
}

/** Makes `appDir/node_modules/workos-events` point at the repository (as `npm install` of `file:../..` would). */
export function linkPackage(appDir: string): void {
  const modules = path.join(appDir, 'node_modules');
  const link = path.join(modules, 'workos-events');
  const target = path.relative(modules, REPO);
  mkdirSync(modules, { recursive: true });
  if (existsSync(link) || isSymlink(link)) {
    if (isSymlink(link) && readlinkSync(link) === target) return;
    unlinkSync(link);
  }
  symlinkSync(target, link, 'dir');
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' } as const;

/**
 * `next build` unless `.next/BUILD_ID` is newer than the app's sources and the library's dist (like make).
 * Returns the build time in ms (0 when the existing build was current). The build runs without the webhook secret by
 * default: building must not need runtime secrets.
 */
export function ensureNextBuilt(
  appDir: string,
  log: (m: string) => void = () => {},
  env: Record<string, string> = { WORKOS_WEBHOOK_SECRET: '' },
): number {
  const inputs = Math.max(newestMtime(appDir), ...DIST_FILES.map(mtime));
  if (mtime(path.join(appDir, '.next/BUILD_ID')) > inputs) return 0;
  log(`next build ${path.relative(REPO, appDir)}`);
  const started = Date.now();
  try {
    execFileSync(process.execPath, [NEXT_BIN, 'build'], {
      cwd: appDir,
      env: { ...process.env, ...NEXT_ENV, ...env },
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`next build failed in ${appDir}:\n${stdout}\n${stderr}`);
  }
  return Date.now() - started;
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A running `next start`. */
export interface NextServer {
  url: string;
  pid: number;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output contains `text`; rejects after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Exit code once the process ended (null while running). */
  exitCode(): number | null;
  stop(): Promise<void>;
}

/** Starts `next start` on a free port and waits until it answers HTTP. */
export async function startNext(appDir: string, env: Record<string, string | undefined>): Promise<NextServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...process.env, ...NEXT_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends the server and anything it spawned
  });
  let output = '';
  let exit: number | null = null;
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = code ?? (signal ? 128 : 1);
      for (const w of waiters) w();
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: NextServer = {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    exitCode: () => exit,
    waitForOutput: (text, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output.includes(text)) done(resolve);
          else if (exit !== null) done(() => reject(new Error(`next exited (${exit}) before printing "${text}"`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for "${text}"`))), timeoutMs);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          fn();
        };
        waiters.add(check);
        check();
      }),
    async stop() {
      if (exit === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exit !== null) return server; // the caller inspects exitCode()/output()
    try {
      await fetch(`${url}/api/__ready`, { signal: AbortSignal.timeout(2_000) });
      return server;
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`next start did not answer within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
