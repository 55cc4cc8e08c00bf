/**
 * The library's one error module: every error class extends {@link WorkOSEventsError} (`code`). Other modules import
 * errors from here only; the old module paths (`verify/errors`, `events-api/errors`, …) re-export from here.
 */

export {
  isWorkOSApiError,
  type WorkOSApiClientErrorCode,
  WorkOSApiError,
  type WorkOSApiFieldError,
} from './api.js';
export { isWorkOSEventsError, WorkOSEventsError } from './base.js';
export {
  WorkOSHandlerError,
  type WorkOSHandlerErrorCode,
  WorkOSQueueError,
  type WorkOSQueueErrorCode,
  WorkOSReconcileError,
  type WorkOSReconcileErrorCode,
  WorkOSWebhookConfigError,
  type WorkOSWebhookConfigErrorCode,
} from './config.js';
export {
  isWorkOSEventParseError,
  WorkOSEventParseError,
  type WorkOSEventParseErrorCode,
} from './parse.js';
export { isWorkOSWebhookError, WorkOSWebhookError, type WorkOSWebhookErrorCode } from './webhook.js';
