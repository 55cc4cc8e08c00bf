/** Wiring the custom store into the webhook handler: the same as any shipped store. */
import { createWorkOSWebhookHandler, type WorkOSWebhookHandler } from 'workos-events';
import type { ConditionalKV } from './conditional-kv.js';
import { KvIdempotencyStore } from './kv-idempotency-store.js';

/** `kv`: a ConditionalKV over your service's client (DynamoDB, Deno KV, etcd, …). */
export function createWebhooks(kv: ConditionalKV): WorkOSWebhookHandler {
  // The secret comes from WORKOS_WEBHOOK_SECRET.
  const webhooks = createWorkOSWebhookHandler({ store: new KvIdempotencyStore({ kv, namespace: 'production' }) });
  webhooks.on('dsync.user.created', async (event) => {
    console.log(`directory user ${event.data.id} created`);
  });
  return webhooks;
}
