#!/usr/bin/env node
// Keeps the optional peer ranges honest: installs (dry run) the packed tarball next to the newest release of every
// peer it declares, in an empty temp project, as a user's plain `npm install workos-events ioredis …` would:
// no --legacy-peer-deps, no --force. Fails on any ERESOLVE, as an error or as an "overriding peer dependency" warning.
//
//   node scripts/check-peers.mjs                    packs the repository (run `npm run build` first)
//   node scripts/check-peers.mjs --tarball x.tgz    checks that tarball instead
//   node scripts/check-peers.mjs --peer ioredis@5   replaces one peer's spec (default `latest`); repeatable
//
// Exit codes: 0 installs cleanly, 1 ERESOLVE or another npm failure, 2 usage.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Bad arguments: reported with the usage line and exit code 2, after the temp dir is removed.
class UsageError extends Error {}

function usage(message) {
  throw new UsageError(message);
}

function parseArgs(argv) {
  const options = { tarball: undefined, specs: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--tarball' && value) {
      options.tarball = path.resolve(value);
      i++;
    } else if (arg === '--peer' && value) {
      const at = value.lastIndexOf('@');
      if (at <= 0) usage(`--peer needs <name>@<spec>, got ${value}`);
      options.specs.set(value.slice(0, at), value.slice(at + 1));
      i++;
    } else usage(`unknown argument ${arg}`);
  }
  return options;
}

// A surrounding `npm test` or `npm run` exports npm_config_* (its own prefix, maybe legacy-peer-deps): drop them all
// but the cache and registry, so this install behaves like a user's.
function npmEnv() {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') || keep.has(key.toLowerCase())),
  );
}

function npm(args, cwd) {
  const result = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function pack(dest) {
  if (!existsSync(path.join(REPO, 'dist/index.js'))) usage('dist/ is missing: run `npm run build` first');
  const packed = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dest], REPO);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  return path.join(dest, path.basename(JSON.parse(packed.stdout)[0].filename));
}

function peersOf(tarball) {
  const tar = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
  if (tar.status !== 0) usage(`cannot read package/package.json from ${tarball}: ${tar.stderr}`);
  return JSON.parse(tar.stdout).peerDependencies ?? {};
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(path.join(tmpdir(), 'workos-events-peers-'));
  try {
    const tarball = options.tarball ?? pack(work);
    if (!existsSync(tarball)) usage(`no such tarball: ${tarball}`);
    const peers = peersOf(tarball);
    for (const name of options.specs.keys()) if (!(name in peers)) usage(`${name} is not a peer dependency`);
    const project = path.join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      path.join(project, 'package.json'),
      '{ "name": "peers-check", "version": "0.0.0", "private": true }\n',
    );

    const wanted = Object.keys(peers).map((name) => `${name}@${options.specs.get(name) ?? 'latest'}`);
    console.log(`check-peers: ${path.basename(tarball)} next to ${wanted.join(' ')}`);
    for (const [name, range] of Object.entries(peers)) console.log(`  peer ${name}: ${range}`);
    const args = ['install', '--dry-run', '--no-audit', '--no-fund', '--ignore-scripts'];
    args.push('--legacy-peer-deps=false', '--force=false', tarball, ...wanted);
    const result = npm(args, project);
    const output = `${result.stdout}\n${result.stderr}`;
    // The versions npm picked for the peers, e.g. "add ioredis 6.0.0".
    const picked = output
      .split('\n')
      .filter((line) => Object.keys(peers).some((name) => line.startsWith(`add ${name} `)));
    for (const line of picked) console.log(`  ${line}`);
    if (result.status !== 0 || /ERESOLVE/.test(output)) {
      console.error(output.trim());
      console.error(
        `check-peers: FAILED: npm could not install the tarball next to ${wanted.join(' ')} without --legacy-peer-deps.` +
          ' Widen the peerDependencies range of the peer named above.',
      );
      process.exitCode = 1;
    } else {
      console.log('check-peers: ok, no ERESOLVE');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`check-peers: ${err.message}`);
  console.error('usage: node scripts/check-peers.mjs [--tarball <file.tgz>] [--peer <name>@<spec>]…');
  process.exitCode = 2;
}
