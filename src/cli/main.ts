#!/usr/bin/env node
import { runCli } from './program.js';

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
