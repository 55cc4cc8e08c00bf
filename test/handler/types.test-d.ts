import { trace } from '@opentelemetry/api';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createWorkOSWebhookHandler,
  type DrainResult,
  type HandlerContext,
  type ProcessResult,
  type TracerLike,
  type WebhookResponse,
  type WorkOSEvent,
  type WorkOSEventOf,
} from '../../src/index.js';

const webhooks = createWorkOSWebhookHandler({ secret: 'whsec_x' });

describe('handler types', () => {
  it('narrows the event for one name and for a list of names', () => {
    webhooks.on('dsync.user.created', (event, ctx) => {
      expectTypeOf(event).toEqualTypeOf<WorkOSEventOf<'dsync.user.created'>>();
      expectTypeOf(event.event).toEqualTypeOf<'dsync.user.created'>();
      expectTypeOf(ctx).toEqualTypeOf<HandlerContext>();
    });
    webhooks.on(['user.created', 'user.updated'], (event) => {
      expectTypeOf(event.event).toEqualTypeOf<'user.created' | 'user.updated'>();
    });
  });

  it('rejects unknown names and wrong field access', () => {
    // @ts-expect-error not a WorkOS event name
    webhooks.on('user.creatd', () => {});
    webhooks.on('user.created', (event) => {
      // @ts-expect-error user.created data has no directory_id
      void event.data.directory_id;
    });
  });

  it('onAny/onUnknown get the whole union; chaining returns the handler', () => {
    const chained = webhooks.onAny((event) => {
      expectTypeOf(event).toEqualTypeOf<WorkOSEvent>();
    });
    expectTypeOf(chained).toEqualTypeOf(webhooks);
  });

  it('handle and process return the documented shapes', () => {
    expectTypeOf(webhooks.handle).returns.toEqualTypeOf<Promise<WebhookResponse>>();
    expectTypeOf(webhooks.process).returns.toEqualTypeOf<Promise<ProcessResult>>();
    expectTypeOf<ProcessResult['outcome']>().toEqualTypeOf<
      'processed' | 'ignored' | 'duplicate' | 'in_progress' | 'skipped_stale' | 'failed' | 'shutting_down'
    >();
    expectTypeOf(webhooks.drain).returns.toEqualTypeOf<Promise<DrainResult>>();
  });

  it('delivery options are one shape per mode: options of another mode do not type-check', () => {
    createWorkOSWebhookHandler({ secret: 'x', mode: 'inline', deadlineMs: 8_000, retry: { attempts: 5 } });
    createWorkOSWebhookHandler({ secret: 'x', mode: 'background', concurrency: 8, maxQueued: 10, retry: false });
    createWorkOSWebhookHandler({ secret: 'x', queue: { enqueue: async () => {} }, enqueueTimeoutMs: 1_000 });
    // @ts-expect-error concurrency belongs to mode 'background'
    createWorkOSWebhookHandler({ secret: 'x', concurrency: 8 });
    // @ts-expect-error deadlineMs belongs to mode 'inline'
    createWorkOSWebhookHandler({ secret: 'x', mode: 'background', deadlineMs: 1_000 });
    // @ts-expect-error the queue engine retries in queue mode, not the handler
    createWorkOSWebhookHandler({ secret: 'x', queue: { enqueue: async () => {} }, retry: { attempts: 2 } });
    // @ts-expect-error enqueue was replaced by queue: { enqueue }
    createWorkOSWebhookHandler({ secret: 'x', enqueue: async () => {} });
  });

  it('an @opentelemetry/api Tracer fits the tracer option', () => {
    expectTypeOf(trace.getTracer('x')).toExtend<TracerLike>();
    createWorkOSWebhookHandler({ secret: 'x', tracer: trace.getTracer('workos-events') });
  });
});
