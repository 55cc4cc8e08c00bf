import { defaultCrypto } from './default-crypto.js';
import {
  checkSignature,
  checkSignatureSync,
  DEFAULT_TOLERANCE_MS,
  type VerifiedSignature,
  type VerifyInput,
  type WorkOSTimestampUnit,
} from './signature.js';

export type { RawPayload } from './payload.js';
export { type SignWorkOSWebhookInput, signWorkOSWebhook, signWorkOSWebhookAsync } from './sign.js';
export { DEFAULT_TOLERANCE_MS, type VerifiedSignature, type VerifyInput, type WorkOSTimestampUnit };

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
