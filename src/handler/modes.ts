import type { WorkOSEvent } from '../events/index.js';
import type { DeliveryConfig, RetryPolicy } from './config.js';
import { WorkOSHandlerError } from './errors.js';
import type { InflightTracker } from './inflight.js';
import type { Begin, EventLifecycle, RunOptions } from './lifecycle.js';
import { errorResponse, statusResponse } from './response.js';
import type { Telemetry } from './telemetry.js';
import type { EnqueueInfo, EventSource, ProcessResult, WebhookResponse } from './types.js';
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
      return statusResponse(200, result.outcome);
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
    const { lifecycle, telemetry } = this.deps;
    const begin = await lifecycle.begin(event, 'webhook', started);
    if (!begin.run) return settledResponse(begin, telemetry);
    const run = new InlineRun(this.cfg, started, this.deps.now);
    const work = lifecycle.run(event, begin.token, begin.listeners, run);
    // No listener returned a promise: there is nothing the deadline could interrupt, so no timer was set.
    if (!run.armed) return responseFor(await work);
    this.deps.inflight.hold(work);
    return run.race(work, () =>
      telemetry.log(
        'info',
        event,
        { channel: 'webhook', deadline_ms: this.cfg.deadlineMs },
        'WorkOS event still processing at the deadline: answered 202, finishing in the background',
      ),
    );
  }
}

/**
 * One inline delivery: its run options and the latch that decides who answers, the run (before the deadline) or the
 * 202 (after it), never both. The deadline timer is armed only when a listener returns a promise (`onAsync`), one
 * timer per delivery (not one shared timer): on workerd a timer belongs to the request that set it.
 */
export class InlineRun implements RunOptions {
  readonly source: EventSource = 'webhook';
  readonly started: number;
  readonly deadline: number;
  readonly retry: RetryPolicy;
  readonly #deadlineMs: number;
  readonly #now: () => number;
  /** 'open' until someone answers: 'accepted' (the 202 went out) or 'run' (the run's own answer). */
  #state: 'open' | 'accepted' | 'run' = 'open';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #accept: (() => void) | undefined;

  constructor(cfg: Extract<DeliveryConfig, { mode: 'inline' }>, started: number, now: () => number) {
    this.started = started;
    this.deadline = started + cfg.deadlineMs;
    this.retry = cfg.retry;
    this.#deadlineMs = cfg.deadlineMs;
    this.#now = now;
  }

  /** True once the deadline timer is set. */
  get armed(): boolean {
    return this.#timer !== undefined;
  }

  /** Arms the deadline timer for what is left of `deadlineMs` since the delivery arrived (once). */
  onAsync(): void {
    if (this.#timer !== undefined || this.#state !== 'open') return;
    const left = Math.min(this.#deadlineMs, Math.max(0, this.deadline - this.#now()));
    this.#timer = setTimeout(() => {
      if (this.#state !== 'open') return;
      this.#state = 'accepted';
      this.#accept?.();
    }, left);
  }

  /** Asked when an attempt fails: true when the 202 went out; otherwise the failure answers (500) from now on. */
  acknowledged(): boolean {
    if (this.#state === 'accepted') return true;
    this.#state = 'run';
    clearTimeout(this.#timer);
    return false;
  }

  /** The run's answer if it settles first, else 202 at the deadline (`onLate` runs then). */
  race(work: Promise<ProcessResult>, onLate: () => void): Promise<WebhookResponse> {
    return new Promise((resolve) => {
      this.#accept = () => {
        onLate();
        resolve(statusResponse(202, 'accepted'));
      };
      const settle = (response: WebhookResponse) => {
        if (this.#state === 'accepted') return;
        this.#state = 'run';
        clearTimeout(this.#timer);
        resolve(response);
      };
      // The run never rejects (failures are results); should it ever, answer 500 rather than never answering.
      work.then(
        (result) => settle(responseFor(result)),
        () => settle(errorResponse(500, 'handler_failed')),
      );
    });
  }
}

/** Background runs are acknowledged (answered 200) before they start. */
const acknowledgedAlready = () => true;

/** Background: answer 200 after verify + claim; run the listeners on a bounded in-process queue, with retries. */
class BackgroundMode implements DeliveryMode {
  readonly #queue: WorkQueue;
  readonly #leave: () => void;

  constructor(
    readonly deps: ModeDeps,
    readonly cfg: Extract<DeliveryConfig, { mode: 'background' }>,
  ) {
    this.#queue = new WorkQueue(cfg.concurrency, cfg.maxQueued);
    this.#leave = () => deps.inflight.leave();
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
    const options: RunOptions = {
      source: 'webhook',
      started,
      retry: this.cfg.retry,
      acknowledged: acknowledgedAlready,
    };
    inflight.enter();
    queue.push(() => lifecycle.run(event, token, listeners, options).then(this.#leave));
    return statusResponse(200, 'accepted');
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
    return statusResponse(200, 'accepted');
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
