import type { Readable, Writable } from 'node:stream';

/**
 * Exit codes scripts can rely on:
 * 0 ok · 1 a check or verification failed / an endpoint answered unexpectedly · 2 usage error (bad option, missing
 * secret or key) · 3 network or Events API error · 130 interrupted (Ctrl-C) before finishing.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, network: 3, interrupted: 130 } as const;

/** Everything a command touches in the outside world, so tests can pass their own. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** Environment (after `.env` was merged in; real variables win). */
  env: Record<string, string | undefined>;
  /** `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /** Aborted on SIGINT/SIGTERM: a command stops cleanly and saves what it must. */
  signal?: AbortSignal;
  /** Clock (ms since the epoch), for tests. */
  now?: () => number;
}

/** A failure a command reports with a plain message and an exit code (no stack trace). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function write(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}

/** Masks a secret for display: its prefix (`sk_test_`, `whsec_`) and, for long values, the last 4 characters. */
export function mask(secret: string): string {
  const value = secret.trim();
  // Only WorkOS's own prefixes: the start of an arbitrary secret that happens to contain `_` stays hidden.
  const prefix = /^(?:sk|pk|whsec|client)_(?:test_|live_)?/.exec(value)?.[0] ?? '';
  // The last 4 characters help tell keys apart; only shown when they are a small part of the whole.
  if (value.length - prefix.length < 12) return `${prefix}****`;
  return `${prefix}****${value.slice(-4)}`;
}

/** Removes every occurrence of the given secrets from a text (for messages that may echo user input). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.trim().length >= 4) out = out.split(secret.trim()).join(mask(secret));
  }
  return out;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function truncate(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}… (${oneLine.length} chars)` : oneLine;
}
