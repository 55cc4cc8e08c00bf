/** Helpers shared by the BullMQ and pg-boss tests: deliveries with duplicates, polling, child workers, dead ports. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkOSEvent } from '../../src/events/index.js';
import { makeEvent } from '../handler/helpers.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX_LOADER = pathToFileURL(path.join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

/** `n` fresh events. */
export function events(n: number): WorkOSEvent[] {
  return Array.from({ length: n }, () => makeEvent() as unknown as WorkOSEvent);
}

/**
 * Every event once, plus a second delivery of every `1/ratio`-th one (ratio 5 → 20 %), in a fixed shuffled order
 * (a seeded LCG, so a failure replays the same order).
 */
export function withDuplicates(list: WorkOSEvent[], every = 5): WorkOSEvent[] {
  const out = [...list, ...list.filter((_, i) => i % every === 0)];
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `fn` over `items`, `width` at a time (deliveries overlap as they do in production). */
export async function inParallel<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; fails with `what` (and the last value seen) after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(everyMs);
  }
}

/** A TCP port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Non-empty lines of a file ('' when it does not exist yet). */
export async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

/** A worker fixture (`test/queues/fixtures/<file>`) as a child process; resolves once it printed READY. */
export async function startWorkerProcess(file: string, env: Record<string, string>): Promise<ChildProcess> {
  const fixture = path.join(REPO, 'test/queues/fixtures', file);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, fixture], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('READY')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`worker exited (${code ?? signal}) before READY:\n${output}`)),
    );
  });
  return child;
}

/** SIGKILLs `child` (if still running) and waits for it to be gone. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}
