import type { WorkOSEvent } from '../../src/events/index.js';
import { createWorkOSWebhookHandler } from '../../src/handler/index.js';
import type { WorkOSLogger } from '../../src/handler/logger.js';
import type { IdempotencyStore } from '../../src/idempotency/index.js';
import { MemoryIdempotencyStore } from '../../src/idempotency/index.js';
import { createFakeWorkOSApi, createTestEvent, type FakeWorkOSApi } from '../../src/testing/index.js';
import { signWorkOSWebhook } from '../../src/verify/index.js';

export const SECRET = 'whsec_reconcile_test_secret';

export interface LogLine {
  level: keyof WorkOSLogger;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

export function recordingLogger(): WorkOSLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: keyof WorkOSLogger) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

/** `n` events alternating between the given types, oldest first. */
export function makeEvents(
  n: number,
  types: readonly ('user.created' | 'dsync.user.created' | 'organization.updated')[],
) {
  return Array.from({ length: n }, (_, i) => createTestEvent(types[i % types.length]!) as unknown as WorkOSEvent);
}

/** A handler that records how many times each event ran, over the given store. */
export function countingHandler(
  store: IdempotencyStore = new MemoryIdempotencyStore(),
  names: readonly ('user.created' | 'dsync.user.created' | 'organization.updated')[] = [
    'user.created',
    'dsync.user.created',
  ],
) {
  const runs = new Map<string, number>();
  const logger = recordingLogger();
  const handler = createWorkOSWebhookHandler({ secret: SECRET, store, logger });
  const failOn = new Set<string>();
  handler.on(names, (event: WorkOSEvent) => {
    runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
    if (failOn.has(event.id)) throw new Error(`boom for ${event.id}`);
  });
  return { handler, runs, failOn, logger, store };
}

/** Delivers `event` to the handler as a signed webhook, through the full request path. */
export async function deliverWebhook(handler: ReturnType<typeof createWorkOSWebhookHandler>, event: WorkOSEvent) {
  const rawBody = JSON.stringify(event);
  return handler.handle({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'workos-signature': signWorkOSWebhook({ payload: rawBody, secret: SECRET }),
    },
    rawBody,
  });
}

export async function withFakeApi<T>(events: WorkOSEvent[], fn: (api: FakeWorkOSApi) => Promise<T>): Promise<T> {
  const api = await createFakeWorkOSApi({ events });
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}
