import type { HmacProvider } from './crypto-provider.js';
import { defaultCrypto } from './default-crypto.js';
import { WorkOSWebhookError } from './errors.js';
import { type RawPayload, rawPayload } from './payload.js';

/**
 * Input of {@link signWorkOSWebhook}.
 *
 * @example
 * ```ts
 * const input: SignWorkOSWebhookInput = { payload: JSON.stringify(event), secret: 'whsec_test', timestamp: Date.now() };
 * ```
 */
export interface SignWorkOSWebhookInput {
  /** The exact body that will be sent (string or bytes). */
  payload: RawPayload;
  /** The signing secret (used as UTF-8 bytes, like WorkOS does). */
  secret: string;
  /** The signing time in milliseconds since the epoch; default `Date.now()`. */
  timestamp?: number;
  /**
   * The unit `t` is written in: `'ms'` (default, as WorkOS signs) or `'s'` (as WorkOS's CLI emulator signs; the
   * timestamp is floored to whole seconds). For tests of a verifier's `timestampUnit` handling.
   */
  timestampUnit?: 'ms' | 's';
}

function prepare(input: SignWorkOSWebhookInput): { t: string; body: string | Uint8Array } {
  if (typeof input.secret !== 'string' || input.secret.length === 0) {
    throw new TypeError('workos-events: signWorkOSWebhook needs a non-empty `secret` string.');
  }
  const timestamp = input.timestamp ?? Date.now();
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('workos-events: `timestamp` must be a non-negative integer number of milliseconds.');
  }
  const unit = input.timestampUnit ?? 'ms';
  if (unit !== 'ms' && unit !== 's') throw new TypeError("workos-events: `timestampUnit` must be 'ms' or 's'.");
  return { t: String(unit === 's' ? Math.floor(timestamp / 1000) : timestamp), body: rawPayload(input.payload) };
}

/**
 * Builds a `WorkOS-Signature` header value (`t=<ms>, v1=<hex>`) for a body, exactly as WorkOS signs it. For tests,
 * local tools and replays. Synchronous, so it needs node:crypto; on edge runtimes use {@link signWorkOSWebhookAsync}.
 * `timestampUnit: 's'` writes `t` in seconds, as WorkOS's CLI emulator does.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ id: 'event_01', event: 'user.created', data: {}, created_at: new Date().toISOString() });
 * const signature = signWorkOSWebhook({ payload: body, secret: 'whsec_test' });
 * await verifyWorkOSWebhook({ payload: body, signature, secret: 'whsec_test' });
 * // As the emulator signs: "t=1700000000, v1=…"
 * const emulated = signWorkOSWebhook({ payload: body, secret: 'whsec_test', timestampUnit: 's' });
 * ```
 */
export function signWorkOSWebhook(input: SignWorkOSWebhookInput): string {
  return signHeaderSync(defaultCrypto, input);
}

/** {@link signWorkOSWebhook} with a given HMAC implementation. */
export function signHeaderSync(provider: HmacProvider, input: SignWorkOSWebhookInput): string {
  const { signSync } = provider;
  if (!signSync) {
    throw new WorkOSWebhookError(
      'sync_unavailable',
      'signWorkOSWebhook() needs node:crypto, which this build of workos-events does not use. Use `await signWorkOSWebhookAsync(...)` instead.',
    );
  }
  const { t, body } = prepare(input);
  return `t=${t}, v1=${signSync(input.secret, `${t}.`, body)}`;
}

/**
 * Async twin of {@link signWorkOSWebhook} that works on every runtime (node:crypto or WebCrypto).
 *
 * @example
 * ```ts
 * const signature = await signWorkOSWebhookAsync({ payload: body, secret: 'whsec_test', timestamp: 1_700_000_000_000 });
 * // "t=1700000000000, v1=…"
 * ```
 */
export function signWorkOSWebhookAsync(input: SignWorkOSWebhookInput): Promise<string> {
  return signHeader(defaultCrypto, input);
}

/** {@link signWorkOSWebhookAsync} with a given HMAC implementation. */
export async function signHeader(provider: HmacProvider, input: SignWorkOSWebhookInput): Promise<string> {
  const { t, body } = prepare(input);
  return `t=${t}, v1=${await provider.sign(input.secret, `${t}.`, body)}`;
}
