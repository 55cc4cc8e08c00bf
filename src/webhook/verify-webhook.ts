import { isWorkOSEventParseError } from '../errors/parse.js';
import { WorkOSWebhookError } from '../errors/webhook.js';
import { type ParseWorkOSEventOptions, parseWorkOSEvent, type WorkOSEvent } from '../events/index.js';
import { loadedSchemas, loadSchemas, needsSchemas } from '../events/schema-loader.js';
import type { HmacProvider } from '../verify/crypto-provider.js';
import { parseJsonBody, rawPayload } from '../verify/payload.js';
import { checkSignature, checkSignatureSync, type VerifyInput } from '../verify/signature.js';

/**
 * Input of `verifyWorkOSWebhook`: the signature inputs plus the event parsing options (e.g. `validate`).
 *
 * @example
 * ```ts
 * const input: VerifyWebhookInput = { payload: rawBody, signature, secret, validate: 'envelope' };
 * ```
 */
export type VerifyWebhookInput = VerifyInput & ParseWorkOSEventOptions;

/** A parse failure of a verified body answers like any webhook error: same code, status, the parse error as cause. */
function parsed(json: unknown, input: VerifyWebhookInput): WorkOSEvent {
  try {
    return parseWorkOSEvent(json, input);
  } catch (error) {
    if (isWorkOSEventParseError(error)) throw new WorkOSWebhookError(error.code, error.message, { cause: error });
    throw error;
  }
}

/** Signature check, then JSON.parse, then parseWorkOSEvent: the body is never parsed before the signature holds. */
export function verifyWebhookSync(provider: HmacProvider, input: VerifyWebhookInput): WorkOSEvent {
  checkSignatureSync(provider, input, 'verifyWorkOSWebhookSync', 'verifyWorkOSWebhook');
  return parsed(parseJsonBody(rawPayload(input.payload)), input);
}

/** Async twin of {@link verifyWebhookSync}; loads the schemas (after the signature holds) when `validate` needs them. */
export async function verifyWebhook(provider: HmacProvider, input: VerifyWebhookInput): Promise<WorkOSEvent> {
  // node:crypto is synchronous: no intermediate promise on the hot path.
  if (provider.matchSync) checkSignatureSync(provider, input, 'verifyWorkOSWebhook', 'verifyWorkOSWebhook');
  else await checkSignature(provider, input);
  if (needsSchemas(input.validate) && !loadedSchemas()) await loadSchemas();
  return parsed(parseJsonBody(rawPayload(input.payload)), input);
}
