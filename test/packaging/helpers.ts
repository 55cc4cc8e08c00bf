// Packing and installing the library as a user gets it: `npm pack` of the built package, `npm install <tgz>` in a
// fresh project. Child npm processes get a clean environment (no npm_config_* from a surrounding `npm test`, which
// would otherwise point them back at this repository), keeping only the cache and registry settings.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureLibraryBuilt, REPO } from '../examples/helpers.js';

const run = promisify(execFile);
const KEEP = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);

export function npmEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') || KEEP.has(key.toLowerCase())) env[key] = value;
  }
  return env as NodeJS.ProcessEnv;
}

/** Runs npm with `args` in `cwd`; resolves with stdout, rejects with stdout and stderr in the message. */
export async function npm(args: string[], cwd: string, timeout = 180_000): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, env: npmEnv(), timeout, maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

/** Builds the library if dist is missing or stale, packs it into a fresh temp dir and returns the tarball's path. */
export async function packLibrary(): Promise<string> {
  ensureLibraryBuilt();
  const dest = mkdtempSync(path.join(tmpdir(), 'workos-events-pack-'));
  const out = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dest], REPO);
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  return path.join(dest, path.basename(filename));
}

/** An empty ESM project in a temp dir, with `files` (name → content) written into it. */
export function makeProject(prefix: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const pkg = { name: 'workos-events-consumer', version: '0.0.0', private: true, type: 'module' };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}
