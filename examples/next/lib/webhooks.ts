import { createWorkOSWebhookHandler } from 'workos-events';
import { loadConfig } from './config';

/**
 * One webhook handler per route bundle. Each Next.js route (Node.js App Router, edge, Pages Router) is bundled and
 * loaded on its own, so each gets its own handler; with the default in-memory store each also dedups on its own.
 * In production pass a shared `store` (Redis, Postgres) so every instance and route dedups together.
 */
export function createWebhooks(route: string) {
  const config = loadConfig();
  const webhooks = createWorkOSWebhookHandler({ secret: config.webhookSecrets });

  webhooks.on('dsync.user.created', async (event) => {
    // `event` is narrowed to dsync.user.created: `event.data` is the directory user.
    console.log(`[workos:${route}] directory user created: ${event.data.id}`);
  });

  webhooks.onAny(async (event) => {
    // Log ids and types only: never the payload (it holds personal data).
    console.log(`[workos:${route}] processed ${event.event} ${event.id}`);
  });

  return webhooks;
}
