import type { WorkOSEvent } from '../events/index.js';
import type { DeliveryConfig } from './config.js';
import { WorkOSHandlerError } from './errors.js';
import type { InflightTracker } from './inflight.js';
import type { Begin, EventLifecycle } from './lifecycle.js';
import { errorResponse, jsonResponse } from './response.js';
import type { Telemetry } from './telemetry.js';
import type { EnqueueInfo, ProcessResult, WebhookResponse } from './types.js';
import { WorkQueue } from './work-queue.js';

/** What every mode needs from the handler. */
export interface ModeDeps {
  lifecycle: EventLifecycle;
  telemetry: Telemetry;
  inflight: InflightTracker;
  now: () => number;
}

/** How a verified webhook event is acknowledged and run. One implementation per `mode`. */
export interface DeliveryMode {
  deliver(event: WorkOSEvent, started: number): Promise<WebhookResponse>;
}

/** The HTTP answer for an event settled without a run (duplicate, in progress, ignored, refused). */
function settledResponse(begin: Extract<Begin, { run: false }>, telemetry: Telemetry): WebhookResponse {
  const { result } = begin;
  if (result.outcome !== 'failed') return responseFor(result);
  const code = begin.unavailable ? 'store_unavailable' : 'no_listeners';
  const status = begin.unavailable ? 503 : 500;
  // The lifecycle already logged why (no_listeners: once per handler); here only the hook fires.
  telemetry.rejected({ status, code }, 'webhook', { log: false });
  return errorResponse(status, code);
}

/** The HTTP answer for a finished run, or a settled event. */
export function responseFor(result: ProcessResult): WebhookResponse {
  switch (result.outcome) {
    case 'processed':
    case 'ignored':
    case 'duplicate':
    case 'skipped_stale':
      return jsonResponse(200, { status: result.outcome });
    case 'in_progress':
      return errorResponse(409, 'in_progress');
    case 'shutting_down':
      return errorResponse(503, 'shutting_down');
    case 'failed':
      return errorResponse(500, 'handler_failed');
    default:
      return result.outcome satisfies never;
  }
}

/**
 * Inline: run the listeners before answering. If they outlast `deadlineMs`, answer 202 and let them finish; a failure
 * after that answer is retried in process (WorkOS will not retry a 2xx).
 */
class InlineMode implements DeliveryMode {
  constructor(
    readonly deps: ModeDeps,
    readonly cfg: Extract<DeliveryConfig, { mode: 'inline' }>,
  ) {}

  async deliver(event: WorkOSEvent, started: number): Promise<WebhookResponse> {
    const { lifecycle, telemetry, inflight } = this.deps;
    const begin = await lifecycle.begin(event, 'webhook', started);
    if (!begin.run) return settledResponse(begin, telemetry);
    const { deadlineMs, retry } = this.cfg;
    // One latch decides who answers: the run (before the deadline) or the 202 (after it). Never both.
    // A timer per delivery (not one shared timer): on workerd a timer belongs to the request that set it.
    let answered = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        answered = true;
        resolve(undefined);
      }, deadlineMs);
    });
    const work = lifecycle.run(event, begin.token, begin.listeners, {
      source: 'webhook',
      started,
      deadline: started + deadlineMs,
      retry,
      acknowledged: () => {
        if (answered) return true;
        clearTimeout(timer);
        answered = true; // the failure answers (500): the deadline must not answer 202 any more
        return false;
      },
    });
    inflight.hold(work);
    const result = await Promise.race([work, deadline]);
    if (result !== undefined) {
      clearTimeout(timer);
      return responseFor(result);
    }
    telemetry.log(
      'info',
      event,
      { channel: 'webhook', deadline_ms: deadlineMs },
      'WorkOS event still processing at the deadline: answered 202, finishing in the background',
    );
    return jsonResponse(202, { status: 'accepted' });
  }
}

/** Background: answer 200 after verify + claim; run the listeners on a bounded in-process queue, with retries. */
class BackgroundMode implements DeliveryMode {
  readonly #queue: WorkQueue;

  constructor(
    readonly deps: ModeDeps,
    readonly cfg: Extract<DeliveryConfig, { mode: 'background' }>,
  ) {
    this.#queue = new WorkQueue(cfg.concurrency, cfg.maxQueued);
    deps.telemetry.observeQueueDepth(() => this.#queue.depth);
  }

  async deliver(event: WorkOSEvent, started: number): Promise<WebhookResponse> {
    const { lifecycle, telemetry, inflight } = this.deps;
    const queue = this.#queue;
    if (!queue.reserve()) {
      telemetry.rejected({ status: 503, code: 'queue_full', fields: { event_id: event.id } });
      return errorResponse(503, 'queue_full');
    }
    const begin = await lifecycle.begin(event, 'webhook', started);
    if (!begin.run) {
      queue.unreserve();
      return settledResponse(begin, telemetry);
    }
    const { token, listeners } = begin;
    inflight.hold(
      new Promise<void>((resolve) => {
        queue.push(async () => {
          await lifecycle.run(event, token, listeners, {
            source: 'webhook',
            started,
            retry: this.cfg.retry,
            acknowledged: () => true,
          });
          resolve();
        });
      }),
    );
    return jsonResponse(200, { status: 'accepted' });
  }
}

/** Queue: hand the event to a durable queue; answer 2xx only once it is stored. Listeners run in the workers. */
class QueueMode implements DeliveryMode {
  constructor(
    readonly deps: ModeDeps,
    readonly cfg: Extract<DeliveryConfig, { mode: 'queue' }>,
  ) {}

  async deliver(event: WorkOSEvent): Promise<WebhookResponse> {
    const { telemetry } = this.deps;
    const { queue, enqueueTimeoutMs } = this.cfg;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const info: EnqueueInfo = { jobId: event.id, signal: abort.signal };
      await Promise.race([
        Promise.resolve().then(() => queue.enqueue(event, info)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new WorkOSHandlerError(
              'enqueue_timeout',
              `The queue did not take the event within enqueueTimeoutMs (${enqueueTimeoutMs} ms).`,
            );
            abort.abort(error);
            reject(error);
          }, enqueueTimeoutMs);
        }),
      ]);
    } catch (error) {
      telemetry.log('error', event, { channel: 'webhook', err: error }, 'WorkOS event could not be enqueued');
      telemetry.rejected({ status: 503, code: 'enqueue_failed', fields: { event_id: event.id } });
      return errorResponse(503, 'enqueue_failed');
    } finally {
      clearTimeout(timer);
    }
    telemetry.log('info', event, { channel: 'webhook' }, 'WorkOS event enqueued');
    return jsonResponse(200, { status: 'accepted' });
  }
}

/** The mode object for a resolved delivery configuration. */
export function createDeliveryMode(delivery: DeliveryConfig, deps: ModeDeps): DeliveryMode {
  switch (delivery.mode) {
    case 'inline':
      return new InlineMode(deps, delivery);
    case 'background':
      return new BackgroundMode(deps, delivery);
    case 'queue':
      return new QueueMode(deps, delivery);
    default:
      return delivery satisfies never;
  }
}
