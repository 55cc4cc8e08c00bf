/**
 * `workos-events/queues/bullmq`: queue mode on [BullMQ](https://docs.bullmq.io) (Redis). The web process hands each
 * verified event to a BullMQ `Queue` ({@link bullmqQueue}) and answers WorkOS once the job is stored; workers on any
 * number of machines run the jobs through the same handler ({@link createBullMQWorker}), with BullMQ's retries,
 * backoff and failed set (the dead letter).
 * @packageDocumentation
 */
import {
  DelayedError,
  type Job,
  type JobsOptions,
  type Queue,
  UnrecoverableError,
  Worker,
  type WorkerOptions,
} from 'bullmq';
import type { WorkOSEvent } from '../events/index.js';
import {
  type ProcessOutcome,
  requireWebhookHandler,
  type WorkOSEventQueue,
  type WorkOSWebhookHandler,
} from '../handler/index.js';
import { WorkOSQueueError } from './errors.js';
import { asError, delayOption, eventFromJobData, queueNameOption } from './job-data.js';

export { WorkOSQueueError, type WorkOSQueueErrorCode } from './errors.js';

/**
 * Job options {@link bullmqQueue} may set: BullMQ's `JobsOptions` without the ones it owns (`jobId` is the event id)
 * or that would break one-job-per-event (`deduplication`, `parent`, `repeatJobKey`, `delay`).
 *
 * @example
 * ```ts
 * const options: BullMQEventJobOptions = { attempts: 5, backoff: { type: 'exponential', delay: 1_000 } };
 * ```
 */
export type BullMQEventJobOptions = Omit<
  JobsOptions,
  'jobId' | 'deduplication' | 'parent' | 'repeatJobKey' | 'prevMillis' | 'delay' | 'timestamp'
>;

/**
 * The job options {@link bullmqQueue} starts from; the queue's own `defaultJobOptions`, then yours, override them.
 * - 12 attempts, exponential backoff from 2 s with 50 % jitter: the retries span about an hour;
 * - completed jobs kept 24 h (at most 100 000): a re-delivery in that window finds the job id and adds nothing
 *   (after it, a new job runs and ends `duplicate` through the idempotency store, which is the real guard);
 * - failed jobs (the dead letter) kept 14 days, for inspection and `job.retry()`.
 *
 * @example
 * ```ts
 * bullmqQueue(queue, { ...BULLMQ_DEFAULT_JOB_OPTIONS, attempts: 20 });
 * ```
 */
export const BULLMQ_DEFAULT_JOB_OPTIONS: Readonly<BullMQEventJobOptions> = Object.freeze({
  attempts: 12,
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
});

const OWNED_JOB_OPTIONS = ['jobId', 'deduplication', 'parent', 'repeatJobKey', 'prevMillis', 'delay', 'timestamp'];

/**
 * A {@link WorkOSEventQueue} that adds one BullMQ job per event: job name = event type, job id = event id, data =
 * the event. A duplicate delivery while the job exists (waiting, running, retrying, or completed and still kept) adds
 * nothing. A delivery of an event whose job is in the failed set (retries exhausted) moves that job back to waiting
 * with its attempts reset: a new delivery is a new chance (a WorkOS Dashboard retry, `workos-events replay`).
 *
 * Give the `Queue` a connection with `enableOfflineQueue: false` so an unreachable Redis fails `add` at once (503,
 * WorkOS retries) rather than after `enqueueTimeoutMs`.
 *
 * @param queue - The BullMQ queue the workers ({@link createBullMQWorker}) consume.
 * @param jobOptions - Overrides of {@link BULLMQ_DEFAULT_JOB_OPTIONS} (after the queue's `defaultJobOptions`).
 * @example
 * ```ts
 * import { Queue } from 'bullmq';
 * import { createWorkOSWebhookHandler } from 'workos-events';
 * import { bullmqQueue } from 'workos-events/queues/bullmq';
 *
 * const queue = new Queue('workos-events', { connection: { host: '127.0.0.1', port: 6379, enableOfflineQueue: false } });
 * const webhooks = createWorkOSWebhookHandler({ secret, store, queue: bullmqQueue(queue, { attempts: 8 }) });
 * ```
 */
export function bullmqQueue(queue: Queue, jobOptions: BullMQEventJobOptions = {}): WorkOSEventQueue {
  if (!queue || typeof queue.add !== 'function' || typeof queue.backend?.isJobInState !== 'function') {
    throw new WorkOSQueueError(
      'invalid_option',
      'bullmqQueue(queue) takes a BullMQ Queue: new Queue(name, { connection }).',
    );
  }
  for (const key of OWNED_JOB_OPTIONS) {
    if ((jobOptions as Record<string, unknown>)[key] !== undefined) {
      throw new WorkOSQueueError(
        'invalid_option',
        `bullmqQueue: \`${key}\` cannot be set: the job id is the event id, one job per event.`,
      );
    }
  }
  // BullMQ merges the queue's defaultJobOptions under these, so ours go first and the queue's win over them.
  const options: JobsOptions = { ...BULLMQ_DEFAULT_JOB_OPTIONS, ...queue.defaultJobOptions, ...jobOptions };
  return {
    async enqueue(event: WorkOSEvent, { jobId }): Promise<void> {
      // `add` with an existing id is a no-op whatever the job's state, so a dead-lettered job would swallow every new
      // delivery: it is revived. The failed-set lookup (one ZSCORE) goes out with the add, in the same round trip:
      // `add` never moves an existing job, so whichever runs first, true means a dead job.
      const [, failed] = await Promise.all([
        queue.add(event.event, event, { ...options, jobId }),
        queue.backend.isJobInState('failed', jobId),
      ]);
      if (failed) await reviveFailedJob(queue, jobId);
    },
  };
}

async function reviveFailedJob(queue: Queue, jobId: string): Promise<void> {
  const job = await queue.getJob(jobId);
  if (!job) return; // removed meanwhile: the idempotency store still tells what ran
  try {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  } catch (error) {
    // Another delivery revived it first (it is no longer in the failed set): nothing left to do.
    if (!(await queue.backend.isJobInState('failed', jobId))) return;
    throw error;
  }
}

/**
 * What a completed job returns (BullMQ stores it as the job's `returnvalue`): how `process()` settled the event.
 *
 * @example
 * ```ts
 * worker.on('completed', (job, result: BullMQEventJobResult) => metrics.increment(`workos.job.${result.outcome}`));
 * ```
 */
export interface BullMQEventJobResult {
  outcome: Extract<ProcessOutcome, 'processed' | 'ignored' | 'duplicate' | 'skipped_stale'>;
}

/**
 * Options of {@link createBullMQWorker}: BullMQ's `WorkerOptions` (`connection` is required; `concurrency`,
 * `lockDuration`, `stalledInterval`… as BullMQ documents them) plus the queue name and the `in_progress` delay.
 *
 * @example
 * ```ts
 * const options: BullMQWorkerOptions = { queueName: 'workos-events', connection: { host: '127.0.0.1', port: 6379 }, concurrency: 8 };
 * ```
 */
export interface BullMQWorkerOptions extends WorkerOptions {
  /** The queue's name, as given to `new Queue(name)` in the web process. */
  queueName: string;
  /**
   * How long a job waits when another delivery holds the event's claim (outcome `in_progress`, e.g. the claim of a
   * worker that crashed, until its `leaseMs` runs out). The job goes back to the delayed set without using an
   * attempt. Default 5 000.
   */
  inProgressDelayMs?: number;
}

/**
 * A BullMQ `Worker` that runs each job through `handler.process(event, { source: 'queue' })`: the same listeners,
 * hooks and idempotency store as the web process. Outcome mapping:
 * - `processed`, `ignored`, `duplicate`, `skipped_stale` → the job completes (returning {@link BullMQEventJobResult});
 * - `failed` → the listener's error is thrown: BullMQ retries with the job's backoff, and after the last attempt the
 *   job lands in the failed set; `onFailed` fires each time, with `final: true` on the last attempt;
 * - `in_progress` → back to the delayed set for `inProgressDelayMs`, without using an attempt;
 * - `shutting_down` (`handler.drain()` was called first) → back to the delayed set at once, for another worker.
 * Job data that is not a WorkOS event fails for good (`UnrecoverableError`, code `invalid_job_data`).
 *
 * The worker starts at once (unless `autorun: false`). Shut down in this order: `await worker.close()` (stops
 * fetching, waits for the running jobs), then `await handler.drain()`. A worker that dies instead leaves its jobs
 * locked: BullMQ's stalled check gives them to another worker after `lockDuration`, where they wait as `in_progress`
 * until the dead worker's claims pass `leaseMs`.
 *
 * @example
 * ```ts
 * import { createBullMQWorker } from 'workos-events/queues/bullmq';
 *
 * const worker = createBullMQWorker(webhooks, {
 *   queueName: 'workos-events',
 *   connection: { host: '127.0.0.1', port: 6379 }, // BullMQ sets maxRetriesPerRequest: null itself
 *   concurrency: 8,
 * });
 * process.once('SIGTERM', async () => {
 *   await worker.close();
 *   await webhooks.drain();
 * });
 * ```
 */
export function createBullMQWorker(
  handler: WorkOSWebhookHandler,
  options: BullMQWorkerOptions,
): Worker<WorkOSEvent, BullMQEventJobResult> {
  const webhooks = requireWebhookHandler(handler, 'createBullMQWorker');
  const { queueName, inProgressDelayMs, ...workerOptions } = options ?? ({} as BullMQWorkerOptions);
  const name = queueNameOption('queueName', queueName);
  const delayMs = delayOption('inProgressDelayMs', inProgressDelayMs, 5_000);
  if (!workerOptions.connection) {
    throw new WorkOSQueueError(
      'invalid_option',
      'createBullMQWorker needs `connection` (ioredis options such as { host, port }, or an ioredis instance created ' +
        'with maxRetriesPerRequest: null).',
    );
  }

  const processor = async (job: Job<WorkOSEvent>, token?: string): Promise<BullMQEventJobResult> => {
    let event: WorkOSEvent;
    try {
      event = eventFromJobData(job.data);
    } catch (error) {
      throw new UnrecoverableError((error as Error).message);
    }
    const attempts = job.opts.attempts ?? 1;
    const result = await webhooks.process(event, { source: 'queue', final: job.attemptsMade + 1 >= attempts });
    switch (result.outcome) {
      case 'processed':
      case 'ignored':
      case 'duplicate':
      case 'skipped_stale':
        return { outcome: result.outcome };
      case 'failed':
        throw asError(result.error);
      case 'in_progress':
      case 'shutting_down':
        // moveToDelayed skips the attempt count; DelayedError tells BullMQ the job was moved, not failed.
        if (token === undefined) throw new Error('BullMQ gave the processor no lock token: cannot delay the job.');
        await job.moveToDelayed(Date.now() + (result.outcome === 'in_progress' ? delayMs : 0), token);
        throw new DelayedError();
      default:
        return result.outcome satisfies never;
    }
  };
  return new Worker<WorkOSEvent, BullMQEventJobResult>(name, processor, workerOptions);
}
