/** The Fastify app: the WorkOS webhook route (a plugin) and a health check. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { WorkOSWebhookHandler } from 'workos-events';
import { workosWebhookPlugin } from 'workos-events/fastify';

export async function createApp(webhooks: WorkOSWebhookHandler): Promise<FastifyInstance> {
  const app = Fastify();

  // The plugin registers POST /webhooks/workos and replaces the body parsers *inside its own encapsulated scope*
  // (the signature needs the raw bytes), so your other routes keep Fastify's JSON parsing.
  await app.register(workosWebhookPlugin, { handler: webhooks });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post('/api/echo', async (request) => ({ received: request.body }));

  return app;
}
