#!/usr/bin/env node
import { createRequire } from 'node:module';

// The published bin is ESM with commander and cli-progress bundled in. Both are CommonJS and require() Node
// built-ins, which esbuild's ESM output can only do through a global `require`: provide one, then load the CLI
// (dynamically, so the bundled CommonJS code runs after this line).
const scope = globalThis as { require?: NodeJS.Require };
scope.require ??= createRequire(import.meta.url);
const { runCli } = await import('./program.js');

// Ctrl-C / SIGTERM abort the running command, which stops cleanly (tail saves its cursor); a second Ctrl-C exits.
const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new DOMException(`received ${signal}`, 'AbortError'));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: { ...process.env },
  signal: controller.signal,
});
process.exitCode = code;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
