import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import type { WorkOSEvent } from '../../src/events/index.js';
import { createWorkOSWebhookHandler } from '../../src/handler/index.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** tsx's loader by absolute URL, so a child started in another folder still finds it. */
export const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
export const SECRET = 'whsec_cli_test_0123456789abcdef';
export const API_KEY = 'sk_test_fake';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

/** Runs the CLI in this process with captured output and the given environment (nothing from the real one). */
export async function cli(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    stdin?: string | Buffer;
    now?: () => number;
    signal?: AbortSignal;
  } = {},
): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture();
  const io: CliIO = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: { ...(options.env ?? {}) },
    ...(options.now ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const code = await runCli(argv, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs `node --import tsx src/cli/main.ts …` as a real process. */
export function spawnCli(argv: string[], options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}) {
  const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'src/cli/main.ts'), ...argv], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', ...(options.env ?? {}) } as unknown as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  else child.stdin.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
  return { child, done, output: () => stdout, errors: () => stderr };
}

export interface Endpoint {
  url: string;
  received: WorkOSEvent[];
  requests: number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/workos`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A real HTTP endpoint running the library's handler (verifies, dedups, answers 401/200). */
export async function startEndpoint(secret = SECRET): Promise<Endpoint> {
  const handler = createWorkOSWebhookHandler({ secret });
  const received: WorkOSEvent[] = [];
  handler.onAny((event) => {
    received.push(event);
  });
  const state = { requests: 0 };
  const server = createServer(async (req, res) => {
    state.requests++;
    if (req.url !== '/webhooks/workos') {
      res.writeHead(404).end('not found');
      return;
    }
    const rawBody = await readBody(req);
    const answer = await handler.handle({ method: req.method ?? 'GET', headers: req.headers, rawBody });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  const url = await listen(server);
  return {
    url,
    received,
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An endpoint that answers every request with the same status (a broken or unverified endpoint). */
export async function startStaticEndpoint(status: number, body = '{"ok":true}') {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    await readBody(req);
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  const url = await listen(server);
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A URL where nothing listens. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

export function expectNoSecrets(result: CliResult, ...secrets: string[]) {
  for (const secret of secrets) {
    if (result.stdout.includes(secret) || result.stderr.includes(secret)) {
      throw new Error(`a secret was printed: ${secret.slice(0, 6)}…`);
    }
  }
}
