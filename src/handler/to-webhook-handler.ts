import { createWorkOSWebhookHandler, HANDLER_BRAND } from './create-handler.js';
import type { WorkOSWebhookHandler, WorkOSWebhookHandlerOptions } from './types.js';

/**
 * True when `value` is a handler made by {@link createWorkOSWebhookHandler} (also from another copy of the library).
 *
 * @example
 * ```ts
 * const webhooks = isWorkOSWebhookHandler(input) ? input : createWorkOSWebhookHandler(input);
 * ```
 */
export function isWorkOSWebhookHandler(value: unknown): value is WorkOSWebhookHandler {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as Record<symbol, unknown>)[HANDLER_BRAND] === true ||
      (typeof (value as WorkOSWebhookHandler).handle === 'function' &&
        typeof (value as WorkOSWebhookHandler).process === 'function' &&
        typeof (value as WorkOSWebhookHandler).on === 'function'))
  );
}

/**
 * What every adapter calls first: a handler is used as is; options build a new one (so `workosWebhook({ secret })`
 * and `workosWebhook(webhooks)` both work).
 *
 * @example
 * ```ts
 * export function myAdapter(handlerOrOptions: WorkOSWebhookHandler | WorkOSWebhookHandlerOptions) {
 *   const webhooks = toWebhookHandler(handlerOrOptions);
 *   return (req: Request) => webhooks.handle({ method: req.method, headers: req.headers, rawBody: null });
 * }
 * ```
 */
export function toWebhookHandler(
  handlerOrOptions: WorkOSWebhookHandler | WorkOSWebhookHandlerOptions = {},
): WorkOSWebhookHandler {
  return isWorkOSWebhookHandler(handlerOrOptions)
    ? handlerOrOptions
    : createWorkOSWebhookHandler(handlerOrOptions as WorkOSWebhookHandlerOptions);
}
