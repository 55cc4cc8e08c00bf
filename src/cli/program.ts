import { readFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { WORKOS_EVENT_NAMES } from '../events/index.js';
import { DEFAULT_BASE_URL } from './api.js';
import { doctorCommand } from './doctor.js';
import { withDotEnv } from './env.js';
import { CliError, type CliIO, EXIT, redact, write } from './io.js';
import { replayCommand } from './replay.js';
import { sendCommand } from './send.js';
import { tailCommand } from './tail.js';
import { verifyCommand } from './verify.js';

const VERSION: string = packageJson.version;

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}.`);
    return n;
  };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0.');
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const EXIT_CODES = `
Exit codes:
  0    success (all checks passed, every answer as expected)
  1    a check or verification failed, or an endpoint answered unexpectedly
  2    usage error (unknown option, missing secret or API key, bad value)
  3    network or Events API error (endpoint unreachable, 401 from the API, …)
  130  interrupted (Ctrl-C) before the command finished`;

const EXAMPLES = `
Examples:
  $ workos-events doctor --url http://localhost:3000/webhooks/workos
  $ workos-events send dsync.user.created --url http://localhost:3000/webhooks/workos --duplicate 1
  $ workos-events replay --since 24h --url http://localhost:3000/webhooks/workos
  $ workos-events tail --events dsync.user.created --cursor-file .workos-cursor
  $ workos-events verify --signature "t=…, v1=…" < body.json
Run \`workos-events <command> --help\` for a command's options.`;

const ENVIRONMENT = `
Environment:
  WORKOS_API_KEY         secret API key (sk_…) for replay, tail and doctor
  WORKOS_WEBHOOK_SECRET  webhook signing secret for send, replay, verify and doctor
  A .env file in the current directory is read too (variables already set win); --env-file picks another.`;

/**
 * Builds the `workos-events` command tree over the given I/O. `runCli` is the usual entry; this is exported so the
 * help text can be inspected.
 */
export function createProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('workos-events');
  const env = () => io.env;
  const context = (): CliIO => ({ ...io, env: env() });

  program
    .description('Send, replay, tail and verify WorkOS events, and check your set-up.')
    .version(VERSION, '-v, --version')
    .option('--env-file <path>', 'read variables from this file instead of ./.env')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .addHelpText('after', `${EXAMPLES}\n${ENVIRONMENT}\n${EXIT_CODES}`)
    .hook('preAction', (_command, _action) => {
      const file = program.opts<{ envFile?: string }>().envFile;
      io.env = withDotEnv(io.env, process.cwd(), file);
    });

  program
    .command('send')
    .description('POST a realistic, signed test event to your endpoint and print the response')
    .argument('[event-type]', 'event type, e.g. dsync.user.created (see --list)')
    .option('--url <endpoint>', 'your webhook endpoint, e.g. http://localhost:3000/webhooks/workos')
    .option('--secret <secret>', 'webhook secret (default: WORKOS_WEBHOOK_SECRET)')
    .option('--set <path=value>', 'set a field (repeatable); the value is JSON if it parses, else a string', collect)
    .option('--duplicate <n>', 'deliver the same event n more times (same id, fresh signatures)', integer(0), 0)
    .option('--stale', 'sign with a timestamp 15 minutes old (expect 401)')
    .option('--bad-signature', 'sign with a wrong secret (expect 401)')
    .option('--timeout <ms>', 'per-request timeout', integer(1), 10_000)
    .option('--list', 'list the event types and exit')
    .addHelpText(
      'after',
      `
Examples:
  $ workos-events send dsync.user.created --url http://localhost:3000/webhooks/workos
  $ workos-events send user.created --url http://localhost:3000/webhooks/workos --set data.email=ada@example.com
  $ workos-events send dsync.group.created --url http://localhost:3000/webhooks/workos --duplicate 2
  $ workos-events send user.updated --url http://localhost:3000/webhooks/workos --bad-signature
Exits 0 when every answer is what a correct endpoint gives (2xx; 401 with --stale/--bad-signature), 1 otherwise.`,
    )
    .action(async (eventType: string | undefined, opts) => {
      if (opts.list) {
        for (const name of WORKOS_EVENT_NAMES) write(io.stdout, name);
        return setExit(EXIT.ok);
      }
      if (!eventType) throw new CliError('send: missing <event-type> (see --list).', EXIT.usage);
      if (!opts.url) throw new CliError('send: --url <endpoint> is required.', EXIT.usage);
      setExit(
        await sendCommand(
          eventType,
          {
            url: opts.url,
            secret: opts.secret,
            set: opts.set,
            duplicate: opts.duplicate,
            stale: opts.stale,
            badSignature: opts.badSignature,
            timeoutMs: opts.timeout,
          },
          context(),
        ),
      );
    });

  program
    .command('replay')
    .description('deliver real events from the Events API to a local endpoint, signed with your webhook secret')
    .requiredOption('--url <endpoint>', 'your webhook endpoint')
    .option('--since <when>', 'start this far back (30m, 24h, 7d; at most 30d) or at an ISO date (default 24h)')
    .option('--after <event-id>', 'continue after this event id instead of --since')
    .option('--events <types...>', 'event types (space- or comma-separated; default: all)')
    .option('--organization <id>', 'only events of this organization')
    .option('--rate <per-second>', 'deliveries per second at most (0 = no limit)', positiveNumber, 10)
    .option('--secret <secret>', 'webhook secret (default: WORKOS_WEBHOOK_SECRET)')
    .option('--base-url <url>', 'WorkOS API base URL', DEFAULT_BASE_URL)
    .option('--timeout <ms>', 'per-delivery timeout', integer(1), 10_000)
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  $ workos-events replay --since 24h --url http://localhost:3000/webhooks/workos
  $ workos-events replay --since 2h --events dsync.user.created dsync.user.updated --rate 5 --url http://localhost:3000/webhooks/workos`,
    )
    .action(async (opts) => {
      setExit(
        await replayCommand(
          {
            url: opts.url,
            since: opts.since,
            after: opts.after,
            events: opts.events,
            organizationId: opts.organization,
            rate: opts.rate,
            secret: opts.secret,
            baseUrl: opts.baseUrl,
            timeoutMs: opts.timeout,
            ...(opts.progress === false ? { progress: false } : {}),
          },
          context(),
        ),
      );
    });

  program
    .command('tail')
    .description('follow the Events API and print events as NDJSON or a table (Ctrl-C stops and saves the cursor)')
    .option('--events <types...>', 'event types (space- or comma-separated; default: all)')
    .option('--cursor-file <file>', 'resume from and save the place in this file')
    .option('--since <when>', 'with no saved cursor, start this far back (1h) or at an ISO date (default: now)')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, else ndjson)').choices([
        'ndjson',
        'table',
      ]),
    )
    .option('--interval <ms>', 'pause between polls when caught up', integer(100), 5000)
    .option('--max <n>', 'stop after this many events', integer(1))
    .option('--organization <id>', 'only events of this organization')
    .option('--base-url <url>', 'WorkOS API base URL', DEFAULT_BASE_URL)
    .addHelpText(
      'after',
      `
Examples:
  $ workos-events tail --events dsync.user.created,dsync.user.deleted
  $ workos-events tail --since 1h --format ndjson --cursor-file .workos-cursor | jq .event`,
    )
    .action(async (opts) => {
      setExit(
        await tailCommand(
          {
            events: opts.events,
            cursorFile: opts.cursorFile,
            since: opts.since,
            format: opts.format,
            intervalMs: opts.interval,
            max: opts.max,
            organizationId: opts.organization,
            baseUrl: opts.baseUrl,
          },
          context(),
        ),
      );
    });

  program
    .command('verify')
    .description('check a captured delivery (body on stdin) and explain why it fails')
    .requiredOption('--signature <header>', 'the WorkOS-Signature header value ("t=…, v1=…")')
    .option('--secret <secret>', 'webhook secret (default: WORKOS_WEBHOOK_SECRET)')
    .option('--tolerance <seconds>', 'allowed age/skew in seconds or as a duration (default 300)')
    .option('--body-file <file>', 'read the body from this file instead of stdin')
    .option('--timestamp-unit <unit>', 'how t is read: auto (ms, or seconds below 10^11), ms or s', 'auto')
    .addHelpText(
      'after',
      `
Examples:
  $ workos-events verify --signature "t=1700000000000, v1=5f2c…" < body.json
  $ workos-events verify --signature "$SIG" --tolerance 7d --body-file captured.json`,
    )
    .action(async (opts) => {
      const body = opts.bodyFile ? await readFile(opts.bodyFile) : undefined;
      setExit(
        await verifyCommand(
          {
            signature: opts.signature,
            secret: opts.secret,
            tolerance: opts.tolerance,
            timestampUnit: opts.timestampUnit,
            ...(body ? { body } : {}),
          },
          context(),
        ),
      );
    });

  program
    .command('doctor')
    .description('check keys, secret, clock skew, Events API access and (with --url) your endpoint')
    .option('--url <endpoint>', 'also check that your endpoint refuses an unsigned POST with 401')
    .option('--base-url <url>', 'WorkOS API base URL', DEFAULT_BASE_URL)
    .option('--max-skew <seconds>', 'clock skew that fails the check', positiveNumber, 30)
    .addHelpText(
      'after',
      `
Examples:
  $ workos-events doctor
  $ workos-events doctor --url http://localhost:3000/webhooks/workos
Exits 1 when any check fails.`,
    )
    .action(async (opts) => {
      setExit(
        await doctorCommand(
          { baseUrl: opts.baseUrl, maxSkewMs: opts.maxSkew * 1000, ...(opts.url ? { url: opts.url } : {}) },
          context(),
        ),
      );
    });

  return program;
}

/**
 * Runs `workos-events` with `argv` (without the node and script paths) and resolves with the exit code. Never exits
 * the process and never prints the API key or the webhook secret.
 *
 * @example
 * ```ts
 * const code = await runCli(['doctor'], { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = createProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const secrets = [io.env.WORKOS_API_KEY, io.env.WORKOS_WEBHOOK_SECRET];
    if (error instanceof CliError) {
      write(io.stderr, `workos-events: ${redact(error.message, secrets)}`);
      return error.exitCode;
    }
    if (io.signal?.aborted) return EXIT.interrupted;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    write(io.stderr, `workos-events: ${redact(message, secrets)}`);
    return EXIT.failed;
  }
}
