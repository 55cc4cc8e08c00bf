/**
 * Starts the Fastify example: validates the configuration, opens SQLite, listens, and shuts down gracefully on
 * SIGTERM/SIGINT (stop accepting requests, let in-flight events finish, close the database).
 */
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { startReconcileJob } from './reconcile.js';
import { createWebhooks } from './webhooks.js';

/**
 * Longest a shutdown waits for running handlers before aborting them. Their claims are released: an event not yet
 * answered is retried by WorkOS, one already answered (a 202 after the deadline) is picked up by `reconcile`.
 */
const DRAIN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const db = openDatabase(config.databaseFile);
  const webhooks = createWebhooks({ db, secret: config.webhookSecrets });
  const app = await createApp(webhooks);
  const address = await app.listen({ host: config.host, port: config.port });
  console.log(`listening on ${address} (POST /webhooks/workos)`);
  const reconcileJob = config.apiKey
    ? startReconcileJob({ webhooks, apiKey: config.apiKey, baseUrl: config.baseUrl, everyMs: config.reconcileEveryMs })
    : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    // 1. Stop accepting requests (Fastify waits for the ones in flight), and stop the reconcile schedule (a run in
    //    progress stops at its next event; the next run picks up from there).
    const closed = app.close();
    await reconcileJob?.stop();
    // 2. Wait for running handlers; deliveries arriving meanwhile get 503 and WorkOS retries them later.
    const drain = await webhooks.drain({ timeoutMs: DRAIN_TIMEOUT_MS });
    if (!drain.drained) {
      console.warn(
        `drain timed out: ${drain.abandoned} deliveries abandoned, ${drain.released} claims released ` +
          '(WorkOS retries the unanswered ones; reconcile recovers the rest)',
      );
    }
    await closed;
    // 3. Only now is it safe to close the database the handlers and the store write to.
    db.close();
    console.log('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        console.error('shutdown failed', error);
        process.exitCode = 1;
      });
    });
  }
}

await main();
