import { trace } from '@opentelemetry/api';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createWorkOSWebhookHandler,
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
  });

  it('an @opentelemetry/api Tracer fits the tracer option', () => {
    expectTypeOf(trace.getTracer('x')).toExtend<TracerLike>();
    createWorkOSWebhookHandler({ secret: 'x', tracer: trace.getTracer('workos-events') });
  });
});
