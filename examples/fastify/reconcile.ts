/**
 * Webhooks for speed, the Events API to catch what they missed: every `everyMs`, read the last hour of events through
 * the same handler and store. Events the webhooks already handled are skipped; missed ones run now and are logged
 * (that number should be 0 most of the time: alert on it). With several instances on a shared store, a lock in the
 * store lets only one of them reconcile at a time.
 */
import { type ReconcileController, reconcileOnInterval, type WorkOSWebhookHandler } from 'workos-events';

export interface ReconcileJobOptions {
  webhooks: WorkOSWebhookHandler;
  apiKey: string;
  baseUrl: string | undefined;
  everyMs: number;
}

export function startReconcileJob({ webhooks, apiKey, baseUrl, everyMs }: ReconcileJobOptions): ReconcileController {
  return reconcileOnInterval({
    handler: webhooks, // reads the event types the handler has listeners for
    since: '1h', // each run re-checks the last hour: longer than any outage we expect to go unnoticed
    graceMs: 60_000, // leave the last minute to deliveries that may still be in flight
    apiKey,
    ...(baseUrl ? { baseUrl } : {}),
    everyMs,
    onReport: (r) =>
      console.log(
        `reconcile: ${r.scanned} scanned, ${r.alreadyProcessed} already processed, ${r.processedNow} recovered, ` +
          `${r.failed.length} failed (${Math.round(r.durationMs)} ms)`,
      ),
    onError: (error) => console.error(`reconcile failed: ${error.message}`),
  });
}
