/**
 * workos-events: verify → parse/validate → dedup → dispatch WorkOS events from webhooks and the Events API.
 * The root entry exports what applications call and loads neither zod nor the generated event schemas (they load on
 * demand for `validate: 'full' | 'strict'`, see `preloadWorkOSEventSchemas`). Elsewhere: adapters
 * (`workos-events/express`, `/fastify`, `/next`, `/web`), store drivers (`/stores/*`), queues (`/queues/*`), zod
 * schemas (`/schemas`), per-event type aliases (`/events`), adapter-author helpers (`/adapter-kit`), the test kit
 * (`/testing`) and the CLI. `test/packaging/root-exports.test.ts` pins the runtime names exported here.
 * @packageDocumentation
 */

// Errors: one module, one base class.
export {
  isWorkOSApiError,
  isWorkOSEventParseError,
  isWorkOSEventsError,
  isWorkOSWebhookError,
  type WorkOSApiClientErrorCode,
  WorkOSApiError,
  type WorkOSApiFieldError,
  WorkOSEventParseError,
  type WorkOSEventParseErrorCode,
  WorkOSEventsError,
  WorkOSHandlerError,
  type WorkOSHandlerErrorCode,
  WorkOSReconcileError,
  type WorkOSReconcileErrorCode,
  WorkOSWebhookConfigError,
  type WorkOSWebhookConfigErrorCode,
  WorkOSWebhookError,
  type WorkOSWebhookErrorCode,
} from './errors/index.js';
export { eventCreatedAt } from './events/created-at.js';
// Events: the union, lookups by name, parsing.
export type { WorkOSEventContext, WorkOSEventEnvelope } from './events/envelope.js';
export { WORKOS_EVENT_NAMES, type WorkOSEventName } from './events/generated/names.js';
export type {
  KnownWorkOSEvent,
  WorkOSAgentBlueprint,
  WorkOSAgentInstance,
  WorkOSDirectoryGroup,
  WorkOSDirectoryUser,
  WorkOSEventActor,
  WorkOSEventContextFields,
  WorkOSEventMap,
  WorkOSFeatureFlag,
  WorkOSFeatureFlagActor,
  WorkOSFeatureFlagsContext,
  WorkOSFeatureFlagsRuleContext,
  WorkOSFlagRule,
  WorkOSFlagTarget,
  WorkOSGroup,
  WorkOSLegacyFlagTarget,
  WorkOSPipesAccountConnection,
  WorkOSPipesAccountConnectionFailure,
  WorkOSPipesConnectedAccount,
  WorkOSResourceExport,
  WorkOSSlimRole,
  WorkOSUserlandUser,
  WorkOSWaitlistUser,
} from './events/generated/types.js';
export { isKnownWorkOSEventName, isUnknownWorkOSEvent, isWorkOSEvent } from './events/guards.js';
export {
  type ParseWorkOSEventOptions,
  parseWorkOSEvent,
  type ValidateMode,
  type WorkOSSchemaIssue,
} from './events/parse.js';
export { preloadWorkOSEventSchemas } from './events/schema-loader.js';
export type {
  UnknownWorkOSEvent,
  UnknownWorkOSEventName,
  WorkOSEvent,
  WorkOSEventData,
  WorkOSEventOf,
} from './events/types.js';
// Events API.
export type { EventsEncoding, FetchLike } from './events-api/client.js';
export { type CursorStore, MemoryCursorStore } from './events-api/cursor-store.js';
export { FileCursorStore, type FileCursorStoreOptions } from './events-api/file-cursor-store.js';
export type {
  EventsApiLogger,
  InvalidEventHook,
  InvalidEventInfo,
  OnInvalidEvent,
} from './events-api/invalid-event.js';
export { type EventPage, type EventStream, listEvents, pollEvents } from './events-api/list-events.js';
export type {
  EventsApiValidateMode,
  ListEventsOptions,
  PollEventsOptions,
  WorkOSClientLike,
} from './events-api/options.js';
export type { RetryInfo, RetryPolicy } from './events-api/retry.js';
// Handler.
export { WORKOS_WEBHOOK_IPS } from './handler/client-ip.js';
export { createWorkOSWebhookHandler } from './handler/create-handler.js';
export type { LogFn, WorkOSLogger } from './handler/logger.js';
export { METRIC_NAMES, type MeterLike } from './handler/metrics.js';
export type { SpanLike, TracerLike } from './handler/tracing.js';
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
} from './handler/types.js';
export { MemoryVersionStore, type VersionStore } from './handler/version-store.js';
// Idempotency.
export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './idempotency/memory-store.js';
export type {
  ClaimOptions,
  ClaimResult,
  CompleteOptions,
  IdempotencyRecord,
  IdempotencyRecordStatus,
  IdempotencyStore,
} from './idempotency/types.js';
// Reconciliation.
export { EVENTS_API_RETENTION_MS, parseDuration, resolveSince, type WorkOSDuration } from './reconcile/duration.js';
export {
  type ReconcileController,
  type ReconcileOnIntervalOptions,
  type ReconcileTick,
  reconcileOnInterval,
} from './reconcile/interval.js';
export {
  type ReconcileFailure,
  type ReconcileHandler,
  type ReconcileOptions,
  type ReconcileProgress,
  type ReconcileReport,
  type ReconcileStopReason,
  reconcile,
} from './reconcile/reconcile.js';
export { verifyWorkOSSignature, verifyWorkOSSignatureSync } from './verify/index.js';
// Verification.
export type { RawPayload } from './verify/payload.js';
export { type SignWorkOSWebhookInput, signWorkOSWebhook, signWorkOSWebhookAsync } from './verify/sign.js';
export {
  DEFAULT_TOLERANCE_MS,
  type VerifiedSignature,
  type VerifyInput,
  type WorkOSTimestampUnit,
} from './verify/signature.js';
export { type VerifyWebhookInput, verifyWorkOSWebhook, verifyWorkOSWebhookSync } from './webhook/index.js';
