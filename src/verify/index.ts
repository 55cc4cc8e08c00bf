import type { WorkOSEvent } from '../events/index.js';
import { defaultCrypto } from './default-crypto.js';
import {
  checkSignature,
  checkSignatureSync,
  DEFAULT_TOLERANCE_MS,
  type VerifiedSignature,
  type VerifyInput,
  type WorkOSTimestampUnit,
} from './signature.js';
import { type VerifyWebhookInput, verifyWebhook, verifyWebhookSync } from './verify-webhook.js';

export type { RawPayload } from './payload.js';
export { type SignWorkOSWebhookInput, signWorkOSWebhook, signWorkOSWebhookAsync } from './sign.js';
export {
  DEFAULT_TOLERANCE_MS,
  type VerifiedSignature,
  type VerifyInput,
  type VerifyWebhookInput,
  type WorkOSTimestampUnit,
};

/**
 * Verifies a WorkOS webhook and returns the parsed event. Works on every runtime: node:crypto on Node, WebCrypto in
 * the edge build. Checks, in order: raw body, `WorkOS-Signature` header, timestamp window (both sides; `t` in
 * milliseconds as WorkOS signs, or in seconds as its CLI emulator signs, see `timestampUnit`), HMAC under any of the
 * secrets (constant-time); only then `JSON.parse` and {@link parseWorkOSEvent}.
 * Throws {@link WorkOSWebhookError} (`code`, `status`) on any failure.
 *
 * @example
 * ```ts
 * // Express: app.post('/webhooks/workos', express.raw({ type: 'application/json' }), handler)
 * const event = await verifyWorkOSWebhook({
 *   payload: req.body,                                  // the raw Buffer
 *   signature: req.headers['workos-signature'],
 *   secret: process.env.WORKOS_WEBHOOK_SECRET!,
 * });
 * console.log(event.event, event.id);
 * ```
 */
export function verifyWorkOSWebhook(input: VerifyWebhookInput): Promise<WorkOSEvent> {
  return verifyWebhook(defaultCrypto, input);
}

/**
 * Synchronous {@link verifyWorkOSWebhook} (node:crypto). In the edge build it throws `sync_unavailable`: use
 * `await verifyWorkOSWebhook(...)` there.
 *
 * @example
 * ```ts
 * const event = verifyWorkOSWebhookSync({ payload: rawBody, signature: header, secret: [current, previous] });
 * ```
 */
export function verifyWorkOSWebhookSync(input: VerifyWebhookInput): WorkOSEvent {
  return verifyWebhookSync(defaultCrypto, input);
}

/**
 * Verifies the signature only (no JSON parsing). Resolves to the signed timestamp and the index of the secret that
 * matched, which tells you when the old secret of a rotation stops being used.
 *
 * @example
 * ```ts
 * const { timestamp, secretIndex } = await verifyWorkOSSignature({ payload, signature, secret: [next, current] });
 * ```
 */
export function verifyWorkOSSignature(input: VerifyInput): Promise<VerifiedSignature> {
  return checkSignature(defaultCrypto, input);
}

/**
 * Synchronous {@link verifyWorkOSSignature} (node:crypto); throws `sync_unavailable` in the edge build.
 *
 * @example
 * ```ts
 * verifyWorkOSSignatureSync({ payload, signature, secret, toleranceMs: 60_000, now: () => receivedAt });
 * ```
 */
export function verifyWorkOSSignatureSync(input: VerifyInput): VerifiedSignature {
  return checkSignatureSync(defaultCrypto, input);
}
