/**
 * Two rules of workerd (Cloudflare Workers) the handler core must follow, checked on every Node version (the
 * workerd suite itself needs Node >= 22): nothing made at construction that global scope forbids (an
 * AbortController), and no AbortController shared between deliveries (one belongs to the request that made it; a
 * shared one failed every delivery after the first with "Cannot perform I/O on behalf of a different request").
 */
import { afterEach, expect, it, vi } from 'vitest';
import { createWorkOSWebhookHandler } from '../../src/handler/index.js';
import type { WorkOSEvent } from '../../src/index.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const event = (id: string, type: string) =>
  ({ id, event: type, data: { id: `${id}_data` }, created_at: '2026-01-01T00:00:00.000Z' }) as unknown as WorkOSEvent;

it('makes no AbortController until a listener reads ctx.signal, then one per run', async () => {
  let made = 0;
  vi.stubGlobal(
    'AbortController',
    class extends AbortController {
      constructor() {
        super();
        made++;
      }
    },
  );
  const webhooks = createWorkOSWebhookHandler({ secret: 'whsec_scope' });
  const signals: AbortSignal[] = [];
  webhooks.on('dsync.user.created', (_event, ctx) => {
    signals.push(ctx.signal, ctx.signal); // read twice: still one controller for this run
  });
  webhooks.on('user.created', () => {});
  expect(made).toBe(0);

  expect((await webhooks.process(event('event_scope_1', 'user.created'))).outcome).toBe('processed');
  expect(made).toBe(0);

  expect((await webhooks.process(event('event_scope_2', 'dsync.user.created'))).outcome).toBe('processed');
  expect((await webhooks.process(event('event_scope_3', 'dsync.user.created'))).outcome).toBe('processed');
  expect(made).toBe(2);
  expect(signals[0]).toBe(signals[1]);
  expect(signals[2]).not.toBe(signals[0]);
  expect(signals.every((s) => !s.aborted)).toBe(true);
});
