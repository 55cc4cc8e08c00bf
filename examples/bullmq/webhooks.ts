/**
 * What this app does with WorkOS events, shared by both processes: the web process builds the handler with a `queue`
 * (its listeners never run there), the worker builds it with the idempotency store and runs them.
 */
import {
  createWorkOSWebhookHandler,
  type IdempotencyStore,
  type WorkOSEventQueue,
  type WorkOSWebhookHandler,
} from 'workos-events';

export interface WebhooksOptions {
  secret: string[];
  /** Web process: where verified events go. */
  queue?: WorkOSEventQueue;
  /** Worker: the shared dedup store (every worker must use the same one). */
  store?: IdempotencyStore;
  simulatedWorkMs?: number;
}

export function createWebhooks({ secret, queue, store, simulatedWorkMs = 0 }: WebhooksOptions): WorkOSWebhookHandler {
  const webhooks = queue
    ? createWorkOSWebhookHandler({ secret, queue })
    : createWorkOSWebhookHandler({
        secret,
        ...(store ? { store } : {}),
        hooks: {
          // With a durable queue, a failure is retried by BullMQ; `final` says the retries are spent (the job is in
          // the failed set: `job.retry()` or a new delivery runs it again, and `reconcile` would find it).
          onFailed: (event, error, info) =>
            console.error(
              `failed ${event.event} ${event.id} (${info.final ? 'retries spent' : 'will be retried'}): ${(error as Error).message}`,
            ),
        },
      });

  const apply = async (label: string, id: string) => {
    console.log(`processing ${label} ${id}`);
    if (simulatedWorkMs > 0) await new Promise((resolve) => setTimeout(resolve, simulatedWorkMs));
    // Your work goes here: upsert the user, provision the organization… Log ids and types, never the payload (PII).
    console.log(`applied ${label} ${id}`);
  };
  webhooks.on(['dsync.user.created', 'dsync.user.updated'], (event) => apply(event.event, event.id));
  webhooks.on(['user.created', 'user.updated'], (event) => apply(event.event, event.id));
  webhooks.on('organization.updated', (event) => apply(event.event, event.id));
  return webhooks;
}
