import type { WorkOSEvent } from '../events/index.js';
import { defaultCrypto } from '../verify/default-crypto.js';
import { type VerifyWebhookInput, verifyWebhook, verifyWebhookSync } from './verify-webhook.js';

export type { VerifyWebhookInput };

/**
 * Verifies a WorkOS webhook and returns the parsed event. Works on every runtime: node:crypto on Node, WebCrypto in
 * the edge build. Checks, in order: raw body, `WorkOS-Signature` header, timestamp window (both sides; `t` in
 * milliseconds as WorkOS signs, or in seconds as its CLI emulator signs, see `timestampUnit`), HMAC under any of the
 * secrets (constant-time); only then `JSON.parse` and {@link parseWorkOSEvent}.
 * Throws `WorkOSWebhookError` (`code`, `status`) on any failure; `validate: 'full' | 'strict'` loads the event schemas
 * on first use (after the signature holds).
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
 * `await verifyWorkOSWebhook(...)` there. With `validate: 'full' | 'strict'` it needs `await preloadWorkOSEventSchemas()`
 * first, else it throws `schemas_not_loaded` (status 500).
 *
 * @example
 * ```ts
 * const event = verifyWorkOSWebhookSync({ payload: rawBody, signature: header, secret: [current, previous] });
 * ```
 */
export function verifyWorkOSWebhookSync(input: VerifyWebhookInput): WorkOSEvent {
  return verifyWebhookSync(defaultCrypto, input);
}
