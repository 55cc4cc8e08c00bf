import type { NextApiHandler } from 'next';
import type { NextRequest } from 'next/server';
import { describe, expectTypeOf, it } from 'vitest';
import { workosPagesHandler, workosRouteHandler } from '../../src/adapters/next.js';
import { workosFetchHandler } from '../../src/adapters/web.js';
import { createWorkOSWebhookHandler } from '../../src/handler/index.js';

describe('Next.js adapter types', () => {
  const webhooks = createWorkOSWebhookHandler({ secret: 'whsec_x' });

  it('the Pages Router handler is a NextApiHandler', () => {
    expectTypeOf(workosPagesHandler(webhooks)).toExtend<NextApiHandler>();
  });

  it('the App Router handler takes a NextRequest and returns a Response', () => {
    const POST = workosRouteHandler(webhooks);
    expectTypeOf(POST).toBeCallableWith({} as NextRequest);
    expectTypeOf(POST).returns.toEqualTypeOf<Promise<Response>>();
  });

  it('takes a handler only: options do not type-check (a handler built there would have no listener)', () => {
    // @ts-expect-error: options, not a handler
    workosRouteHandler({ secret: 'whsec_x', mode: 'background' });
    // @ts-expect-error: options, not a handler
    workosFetchHandler({ secret: ['whsec_new', 'whsec_old'] });
    // @ts-expect-error: the client address is a string
    workosFetchHandler(webhooks)(new Request('http://x'), 42);
  });
});
