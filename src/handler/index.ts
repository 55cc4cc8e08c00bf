export { WORKOS_WEBHOOK_IPS } from './client-ip.js';
export { createWorkOSWebhookHandler } from './create-handler.js';
export { WorkOSWebhookConfigError, type WorkOSWebhookConfigErrorCode } from './errors.js';
export type { LogFn, WorkOSLogger } from './logger.js';
export { type LimitedBody, readBodyLimited } from './read-body.js';
export { isWorkOSWebhookHandler, toWebhookHandler } from './to-webhook-handler.js';
export type { SpanLike, TracerLike } from './tracing.js';
export type {
  EnqueueInfo,
  ErrorListener,
  EventListener,
  EventSource,
  HandlerContext,
  HookInfo,
  ProcessOutcome,
  ProcessResult,
  WebhookBodyError,
  WebhookRejectionCode,
  WebhookRequest,
  WebhookResponse,
  WorkOSWebhookHandler,
  WorkOSWebhookHandlerOptions,
  WorkOSWebhookHooks,
} from './types.js';
export { MemoryVersionStore, type VersionStore } from './version-store.js';
