// Moved to src/errors; this path stays for existing imports.
export {
  WorkOSHandlerError,
  type WorkOSHandlerErrorCode,
  WorkOSWebhookConfigError,
  type WorkOSWebhookConfigErrorCode,
} from '../errors/config.js';
