/** The Express app: the WorkOS webhook route, a health check, and (for contrast) a JSON route of your own. */
import express, { type Express } from 'express';
import type { WorkOSWebhookHandler } from 'workos-events';
import { workosWebhook } from 'workos-events/express';

export function createApp(webhooks: WorkOSWebhookHandler): Express {
  const app = express();
  app.disable('x-powered-by');

  // The signature is computed over the raw bytes, so this route must see the body before any JSON parser: mount it
  // first (or scope express.json() to your other routes, as below). The middleware reads the body itself.
  app.post('/webhooks/workos', workosWebhook(webhooks));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Your other routes can parse JSON as usual.
  app.use('/api', express.json());
  app.post('/api/echo', (req, res) => {
    res.json({ received: req.body });
  });

  return app;
}
