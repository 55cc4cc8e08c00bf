// Moved to src/errors; this path stays for existing imports.
export { isWorkOSWebhookError, WorkOSWebhookError, type WorkOSWebhookErrorCode } from '../errors/webhook.js';
