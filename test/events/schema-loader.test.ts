/**
 * Lazy schemas: this file imports neither the test kit nor `workos-events/schemas` (both load the schemas up front),
 * so the schemas start unloaded here (one module graph per test file, and the process-wide slot starts empty).
 */
import { describe, expect, it } from 'vitest';
import { loadedSchemas } from '../../src/events/schema-loader.js';
import {
  isWorkOSEventParseError,
  isWorkOSEventsError,
  isWorkOSWebhookError,
  parseWorkOSEvent,
  preloadWorkOSEventSchemas,
  verifyWorkOSWebhook,
  verifyWorkOSWebhookSync,
  WorkOSEventParseError,
  WorkOSEventsError,
  WorkOSWebhookError,
} from '../../src/index.js';
import { signWorkOSWebhook } from '../../src/verify/sign.js';

const SECRET = 'whsec_schema_loader';
const event = { id: 'event_01', event: 'user.created', data: { object: 'user' }, created_at: '2024-05-01T00:00:00Z' };
const payload = JSON.stringify(event);
const signature = () => signWorkOSWebhook({ payload, secret: SECRET });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('schemas load on demand', () => {
  it("the default 'envelope' mode works without them and loads nothing", async () => {
    expect(parseWorkOSEvent(event).id).toBe('event_01');
    expect(verifyWorkOSWebhookSync({ payload, signature: signature(), secret: SECRET }).id).toBe('event_01');
    await verifyWorkOSWebhook({ payload, signature: signature(), secret: SECRET });
    expect(loadedSchemas()).toBeUndefined();
  });

  it("sync APIs in 'full'/'strict' mode throw schemas_not_loaded naming the preload", () => {
    const parseError = thrown(() => parseWorkOSEvent(event, { validate: 'strict' }));
    expect(parseError).toBeInstanceOf(WorkOSEventParseError);
    expect(parseError).toMatchObject({ code: 'schemas_not_loaded', status: 500 });
    expect((parseError as Error).message).toContain('preloadWorkOSEventSchemas()');
    const webhookError = thrown(() =>
      verifyWorkOSWebhookSync({ payload, signature: signature(), secret: SECRET, validate: 'full' }),
    );
    expect(webhookError).toBeInstanceOf(WorkOSWebhookError);
    expect(webhookError).toMatchObject({ code: 'schemas_not_loaded', status: 500 });
    expect(isWorkOSEventParseError((webhookError as Error).cause)).toBe(true);
    expect(loadedSchemas()).toBeUndefined();
  });

  it('a forged delivery is refused before anything loads', async () => {
    await expect(
      verifyWorkOSWebhook({ payload, signature: signature().replace(/.$/, '0'), secret: 'other', validate: 'strict' }),
    ).rejects.toMatchObject({ code: 'signature_mismatch' });
    expect(loadedSchemas()).toBeUndefined();
  });

  it('the async verify loads them on first use; a strict failure is a 400 webhook error with the parse error as cause', async () => {
    const error = await verifyWorkOSWebhook({
      payload,
      signature: signature(),
      secret: SECRET,
      validate: 'strict',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(loadedSchemas()).toBeDefined();
    expect(error).toBeInstanceOf(WorkOSWebhookError);
    expect(error).toMatchObject({ code: 'invalid_event', status: 400 });
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(WorkOSEventParseError);
    expect(cause).toMatchObject({ code: 'invalid_event', status: 400 });
    // Now loaded: the sync APIs validate too.
    expect(() => parseWorkOSEvent(event, { validate: 'strict' })).toThrow(/does not match the WorkOS spec/);
    await preloadWorkOSEventSchemas(); // idempotent
  });
});

describe('one error hierarchy', () => {
  it('every error is a WorkOSEventsError with a code; the brand works across copies', () => {
    const parse = new WorkOSEventParseError('unknown_event', 'x');
    const webhook = new WorkOSWebhookError('signature_mismatch', 'x');
    expect(parse).toBeInstanceOf(WorkOSEventsError);
    expect(webhook).toBeInstanceOf(WorkOSEventsError);
    expect([parse.status, webhook.status]).toEqual([400, 401]);
    // Another copy of the library: a different class with the same Symbol.for brand on its prototype.
    class OtherCopy extends Error {
      override name = 'WorkOSWebhookError';
      code = 'signature_mismatch';
    }
    Object.defineProperty(OtherCopy.prototype, Symbol.for('workos-events.error'), { value: true });
    expect(isWorkOSEventsError(new OtherCopy())).toBe(true);
    expect(isWorkOSWebhookError(new OtherCopy())).toBe(true);
    expect(isWorkOSEventParseError(new OtherCopy())).toBe(false);
    // Look-alikes without the brand are not ours.
    const lookalike = Object.assign(new Error('x'), { name: 'WorkOSWebhookError', code: 'signature_mismatch' });
    expect(isWorkOSEventsError(lookalike)).toBe(false);
    expect(isWorkOSWebhookError(lookalike)).toBe(false);
  });
});

describe('instanceof across copies of the library', () => {
  it('the Node build (one file per entry) recognises errors from the root in a subpath and back', async () => {
    const { ensureLibraryBuilt, REPO } = await import('../examples/helpers.js');
    ensureLibraryBuilt();
    const { pathToFileURL } = await import('node:url');
    const load = (file: string) => import(pathToFileURL(`${REPO}/dist/node/${file}`).href);
    const root = (await load('index.js')) as typeof import('../../src/index.js');
    const kit = (await load('adapter-kit.js')) as typeof import('../../src/adapter-kit.js');
    const bullmq = (await load('queues/bullmq.js')) as typeof import('../../src/queues/bullmq.js');
    // bullmqQueue (the queues/bullmq file's copy) throws its own WorkOSQueueError.
    const error = thrown(() => bullmq.bullmqQueue({} as never));
    expect(error).toMatchObject({ name: 'WorkOSQueueError', code: 'invalid_option' });
    expect(error).toBeInstanceOf(bullmq.WorkOSQueueError);
    expect(error).toBeInstanceOf(root.WorkOSEventsError);
    expect(error).toBeInstanceOf(WorkOSEventsError); // this (source) copy
    expect(error).not.toBeInstanceOf(root.WorkOSWebhookError);
    expect(root.isWorkOSEventsError(error)).toBe(true);
    expect(new root.WorkOSWebhookError('signature_mismatch', 'x')).toBeInstanceOf(WorkOSWebhookError);
    expect(new Error('x')).not.toBeInstanceOf(root.WorkOSEventsError);
    // A root handler passes the adapter-kit's check (a Symbol.for brand, not a class).
    const handler = root.createWorkOSWebhookHandler({ secret: 'whsec_x' });
    expect(kit.isWorkOSWebhookHandler(handler)).toBe(true);
  });
});
