import { HANDLER_BRAND } from './create-handler.js';
import type { WorkOSWebhookHandler } from './types.js';

/**
 * True when `value` is a handler made by `createWorkOSWebhookHandler` (also from another copy of the library).
 *
 * @example
 * ```ts
 * if (!isWorkOSWebhookHandler(input)) throw new TypeError('pass the handler');
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
 * What every adapter calls first: the handler, or a `TypeError` that shows the fix. Adapters take a handler only
 * (never options): a handler built inside an adapter could have no listener, and would acknowledge every event.
 *
 * @example
 * ```ts
 * export function myAdapter(webhooks: WorkOSWebhookHandler) {
 *   const handler = requireWebhookHandler(webhooks, 'myAdapter');
 *   return (req: Request) => handler.handle({ method: req.method, headers: req.headers, rawBody: null });
 * }
 * ```
 */
export function requireWebhookHandler(value: unknown, adapter: string): WorkOSWebhookHandler {
  if (isWorkOSWebhookHandler(value)) return value;
  throw new TypeError(
    `${adapter}(…) takes the handler made by createWorkOSWebhookHandler, so its listeners run:\n` +
      `  const webhooks = createWorkOSWebhookHandler({ secret }); webhooks.on('user.created', handleUser);\n` +
      `  ${adapter}(webhooks)`,
  );
}
