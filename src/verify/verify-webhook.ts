import { type ParseWorkOSEventOptions, parseWorkOSEvent, type WorkOSEvent } from '../events/index.js';
import type { HmacProvider } from './crypto-provider.js';
import { parseJsonBody, rawPayload } from './payload.js';
import { checkSignature, checkSignatureSync, type VerifyInput } from './signature.js';

/**
 * Input of {@link verifyWorkOSWebhook}: the signature inputs plus the event parsing options (e.g. `validate`).
 *
 * @example
 * ```ts
 * const input: VerifyWebhookInput = { payload: rawBody, signature, secret, validate: 'envelope' };
 * ```
 */
export type VerifyWebhookInput = VerifyInput & ParseWorkOSEventOptions;

/** Signature check, then JSON.parse, then parseWorkOSEvent: the body is never parsed before the signature holds. */
export function verifyWebhookSync(provider: HmacProvider, input: VerifyWebhookInput): WorkOSEvent {
  checkSignatureSync(provider, input, 'verifyWorkOSWebhookSync', 'verifyWorkOSWebhook');
  return parseWorkOSEvent(parseJsonBody(rawPayload(input.payload)), input);
}

/** Async twin of {@link verifyWebhookSync}. */
export async function verifyWebhook(provider: HmacProvider, input: VerifyWebhookInput): Promise<WorkOSEvent> {
  // node:crypto is synchronous: no intermediate promise on the hot path.
  if (provider.matchSync) checkSignatureSync(provider, input, 'verifyWorkOSWebhook', 'verifyWorkOSWebhook');
  else await checkSignature(provider, input);
  return parseWorkOSEvent(parseJsonBody(rawPayload(input.payload)), input);
}
