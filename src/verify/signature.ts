import type { HmacProvider } from './crypto-provider.js';
import { WorkOSWebhookError } from './errors.js';
import { parseSignatureHeader } from './header.js';
import { type RawPayload, rawPayload } from './payload.js';

/**
 * Default replay window: 5 minutes, applied to both sides of `now`.
 *
 * @example
 * ```ts
 * verifyWorkOSSignatureSync({ payload, signature, secret, toleranceMs: DEFAULT_TOLERANCE_MS / 5 }); // 1 minute
 * ```
 */
export const DEFAULT_TOLERANCE_MS = 300_000;

/**
 * How the `t` of a `WorkOS-Signature` header is read. WorkOS signs in milliseconds since the epoch; WorkOS's CLI
 * emulator (`npx workos emulate`, `createEmulator` from `workos/emulate`) signs in seconds.
 * - `'auto'` (default): a `t` below 10^11 is seconds (as milliseconds it would be before March 1973), anything else
 *   milliseconds. The HMAC covers `t` as sent, so this loses nothing: the window is still ±tolerance in real time.
 * - `'ms'`: milliseconds only; a seconds `t` is refused as `timestamp_too_old` (with a hint).
 * - `'s'`: seconds only.
 *
 * @example
 * ```ts
 * // Production only: refuse anything that is not a millisecond timestamp.
 * verifyWorkOSSignatureSync({ payload, signature, secret, timestampUnit: 'ms' });
 * ```
 */
export type WorkOSTimestampUnit = 'auto' | 'ms' | 's';

/** In `'auto'` mode a `t` below this is seconds: as ms it is before 1973-03-03, as seconds it reaches the year 5138. */
export const SECONDS_BELOW = 1e11;

/** The unit option checked; undefined means `'auto'`. */
export function timestampUnitOf(unit: unknown): WorkOSTimestampUnit {
  if (unit === undefined || unit === 'auto' || unit === 'ms' || unit === 's') return unit ?? 'auto';
  throw new TypeError("workos-events: `timestampUnit` must be 'auto', 'ms' or 's'.");
}

/** Whether `t` (the header's number) is read as seconds under `unit`. */
export function readsAsSeconds(t: number, unit: WorkOSTimestampUnit): boolean {
  return unit === 's' || (unit === 'auto' && t < SECONDS_BELOW);
}

/**
 * What {@link verifyWorkOSSignature} and {@link verifyWorkOSWebhook} need: the raw body, the header and the secret(s).
 *
 * @example
 * ```ts
 * const input: VerifyInput = {
 *   payload: rawBody,                               // string | Buffer | Uint8Array | ArrayBuffer, as received
 *   signature: req.headers['workos-signature'],     // string | string[] | undefined
 *   secret: [process.env.WORKOS_WEBHOOK_SECRET!, process.env.WORKOS_WEBHOOK_SECRET_OLD!],
 *   toleranceMs: 300_000,
 * };
 * ```
 */
export interface VerifyInput {
  /** The RAW request body exactly as received (a Node `Buffer` is a `Uint8Array`). Never a parsed object. */
  payload: RawPayload;
  /** The `WorkOS-Signature` header as the framework gives it. */
  signature: string | readonly string[] | null | undefined;
  /** The endpoint's signing secret, or several during a rotation (any may match; see `secretIndex`). */
  secret: string | readonly string[];
  /**
   * Maximum distance in milliseconds between the signed timestamp and `now()`, on BOTH sides (a timestamp from the
   * future is rejected too). Default 300 000 (5 minutes). `Infinity` disables the check (e.g. for replays).
   */
  toleranceMs?: number;
  /** Clock in milliseconds since the epoch; default `Date.now`. Inject it for tests or to replay queued deliveries. */
  now?: () => number;
  /**
   * The unit of the header's `t`: `'auto'` (default) reads a `t` below 10^11 as seconds (what WorkOS's CLI emulator
   * sends) and anything else as milliseconds (what WorkOS sends); `'ms'` or `'s'` accept only that unit.
   * See {@link WorkOSTimestampUnit}.
   */
  timestampUnit?: WorkOSTimestampUnit;
}

/**
 * The outcome of a successful signature check.
 *
 * @example
 * ```ts
 * const { timestamp, secretIndex } = verifyWorkOSSignatureSync({ payload, signature, secret: [current, previous] });
 * if (secretIndex === 1) console.warn('webhook still signed with the previous secret');
 * ```
 */
export interface VerifiedSignature {
  /** The signed `t`, in milliseconds since the epoch (a seconds `t` multiplied by 1000). */
  timestamp: number;
  /** Index in `secret` (0 when a single string was given) of the secret that matched. */
  secretIndex: number;
}

interface Prepared {
  body: string | Uint8Array;
  prefix: string;
  timestamp: number;
  signatures: Uint8Array<ArrayBuffer>[];
  secrets: readonly string[];
}

function secretsOf(secret: unknown): readonly string[] {
  if (typeof secret === 'string' && secret.length > 0) return [secret];
  const list = typeof secret === 'string' ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s.length > 0)) {
    // A configuration error (often an unset environment variable), not a bad request: no WorkOSWebhookError.
    throw new TypeError(
      'workos-events: `secret` must be a non-empty string or a non-empty array of non-empty strings (is the webhook secret environment variable set?).',
    );
  }
  return list;
}

function formatSeconds(ms: number): string {
  const s = Math.abs(ms) / 1000;
  return s < 10 ? s.toFixed(3) : s < 10_000 ? s.toFixed(1) : Math.round(s).toString();
}

const DAY_MS = 86_400_000;

/**
 * Says what a rejected `t` probably is when another unit would put it near `now`. `t` is the header's number,
 * `seconds` how it was read.
 */
function unitHint(t: number, seconds: boolean, unit: WorkOSTimestampUnit, now: number, tolerance: number): string {
  const window = Math.max(tolerance, DAY_MS);
  const near = (ms: number) => Math.abs(ms - now) <= window;
  if (!seconds && near(t * 1000)) {
    // Only reachable with timestampUnit 'ms': 'auto' reads such a small t as seconds.
    return " It looks like seconds (WorkOS's CLI emulator signs in seconds), and `timestampUnit: 'ms'` accepts only milliseconds; the default 'auto' accepts both.";
  }
  if (seconds && unit === 's' && near(t)) {
    return " It looks like milliseconds (as WorkOS signs), and `timestampUnit: 's'` accepts only seconds; the default 'auto' accepts both.";
  }
  if (near(t / 1000)) {
    return ' It looks like microseconds: WorkOS-Signature timestamps are milliseconds since the epoch (seconds from the CLI emulator).';
  }
  return '';
}

/** Checks `t` (read as seconds or milliseconds) against the window; returns it in milliseconds. */
function checkTimestamp(t: number, input: VerifyInput): number {
  const unit = timestampUnitOf(input.timestampUnit);
  const seconds = readsAsSeconds(t, unit);
  const timestamp = seconds ? t * 1000 : t;
  const tolerance = input.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  if (typeof tolerance !== 'number' || Number.isNaN(tolerance) || tolerance < 0) {
    throw new TypeError('workos-events: `toleranceMs` must be a non-negative number of milliseconds (or Infinity).');
  }
  const now = input.now ? input.now() : Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new TypeError('workos-events: `now()` must return milliseconds since the epoch as a finite number.');
  }
  const skew = now - timestamp;
  if (skew > tolerance || -skew > tolerance) {
    const read = seconds ? ' (t read as seconds)' : '';
    const hint = unitHint(t, seconds, unit, now, tolerance);
    if (skew > tolerance) {
      throw new WorkOSWebhookError(
        'timestamp_too_old',
        `The webhook timestamp${read} is ${formatSeconds(skew)} s in the past, beyond the ${formatSeconds(tolerance)} s tolerance (a replay, a queued delivery or a slow clock).${hint}`,
      );
    }
    throw new WorkOSWebhookError(
      'timestamp_too_new',
      `The webhook timestamp${read} is ${formatSeconds(skew)} s in the future, beyond the ${formatSeconds(tolerance)} s tolerance (check this server's clock).${hint}`,
    );
  }
  return timestamp;
}

/** Everything before the HMAC: raw-body check, header parsing, timestamp window. Cheap rejections first. */
function prepare(input: VerifyInput): Prepared {
  if (input === null || typeof input !== 'object') {
    throw new TypeError('workos-events: expected { payload, signature, secret }.');
  }
  const body = rawPayload(input.payload);
  const secrets = secretsOf(input.secret);
  const header = parseSignatureHeader(input.signature);
  const timestamp = checkTimestamp(header.timestamp, input);
  return {
    body,
    prefix: `${header.timestampText}.`,
    timestamp,
    signatures: header.signatures,
    secrets,
  };
}

function mismatch(secrets: readonly string[]): WorkOSWebhookError {
  const spaced = secrets.some((s) => s.trim() !== s);
  return new WorkOSWebhookError(
    'signature_mismatch',
    `No v1 signature matches the payload under the ${secrets.length === 1 ? 'configured secret' : `${secrets.length} configured secrets`}` +
      ` (wrong secret, or a body that was modified or re-serialized before verification).` +
      (spaced ? ' Note: a configured secret has leading or trailing whitespace.' : ''),
  );
}

/** Throws `sync_unavailable` naming the async function to use instead. */
export function syncUnavailable(provider: HmacProvider, fn: string, asyncFn: string): WorkOSWebhookError {
  return new WorkOSWebhookError(
    'sync_unavailable',
    `${fn}() needs node:crypto, which this build of workos-events (${provider.name}) does not use. Use \`await ${asyncFn}(...)\` instead of \`${fn}(...)\`.`,
  );
}

/** Synchronous signature check with the given HMAC implementation (the public functions bind the default one). */
export function checkSignatureSync(
  provider: HmacProvider,
  input: VerifyInput,
  fn = 'verifyWorkOSSignatureSync',
  asyncFn = 'verifyWorkOSSignature',
): VerifiedSignature {
  const { matchSync } = provider;
  if (!matchSync) throw syncUnavailable(provider, fn, asyncFn);
  const p = prepare(input);
  const secretIndex = matchSync(p.secrets, p.prefix, p.body, p.signatures);
  if (secretIndex < 0) throw mismatch(p.secrets);
  return { timestamp: p.timestamp, secretIndex };
}

/** Asynchronous signature check with the given HMAC implementation. */
export async function checkSignature(provider: HmacProvider, input: VerifyInput): Promise<VerifiedSignature> {
  const p = prepare(input);
  // With a synchronous HMAC (node:crypto), skip the provider's promise: one await fewer on every request.
  const secretIndex = provider.matchSync
    ? provider.matchSync(p.secrets, p.prefix, p.body, p.signatures)
    : await provider.match(p.secrets, p.prefix, p.body, p.signatures);
  if (secretIndex < 0) throw mismatch(p.secrets);
  return { timestamp: p.timestamp, secretIndex };
}
