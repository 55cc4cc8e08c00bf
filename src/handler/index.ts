export { WORKOS_WEBHOOK_IPS } from './client-ip.js';
export { createWorkOSWebhookHandler } from './create-handler.js';
export {
  WorkOSHandlerError,
  type WorkOSHandlerErrorCode,
  WorkOSWebhookConfigError,
  type WorkOSWebhookConfigErrorCode,
} from './errors.js';
export type { LogFn, WorkOSLogger } from './logger.js';
export { METRIC_NAMES, type MeterLike } from './metrics.js';
export { type LimitedBody, readBodyLimited } from './read-body.js';
export { isWorkOSWebhookHandler, requireWebhookHandler } from './to-webhook-handler.js';
export type { SpanLike, TracerLike } from './tracing.js';
export type {
  BackgroundDeliveryOptions,
  DeliveryOptions,
  DrainResult,
  EnqueueInfo,
  ErrorListener,
  EventListener,
  EventSource,
  FailureInfo,
  HandlerContext,
  HookInfo,
  InlineDeliveryOptions,
  ListenerRetryInfo,
  ProcessOptions,
  ProcessOutcome,
  ProcessResult,
  QueueDeliveryOptions,
  RetryOptions,
  WebhookBodyError,
  WebhookRejectionCode,
  WebhookRequest,
  WebhookResponse,
  WorkOSEventQueue,
  WorkOSWebhookHandler,
  WorkOSWebhookHandlerCommonOptions,
  WorkOSWebhookHandlerOptions,
  WorkOSWebhookHooks,
} from './types.js';
export { MemoryVersionStore, type VersionStore } from './version-store.js';
