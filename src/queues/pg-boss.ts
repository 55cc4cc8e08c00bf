/**
 * `workos-events/queues/pg-boss`: queue mode on [pg-boss](https://pgboss.io) 12 (PostgreSQL, Node ≥ 22.12). The web
 * process sends each verified event to a pg-boss queue ({@link pgBossQueue}) and answers WorkOS once the job row is
 * written; workers run the jobs through the same handler ({@link workPgBoss}), with pg-boss's retries, backoff and
 * dead-letter queue. pg-boss is never imported here at run time: you pass your started `PgBoss` instance.
 * @packageDocumentation
 */
import type { JobResult, JobWithMetadata, PgBoss, SendOptions, WorkOptions } from 'pg-boss';
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
 * Send options {@link pgBossQueue} may set for every job: pg-boss's `SendOptions` without the ones it owns
 * (`singletonKey` is the event id; `id`, `startAfter`, the singleton slots and `db` would break one job per event).
 *
 * @example
 * ```ts
 * const send: PgBossEventSendOptions = { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 };
 * ```
 */
export type PgBossEventSendOptions = Omit<
  SendOptions,
  'id' | 'singletonKey' | 'singletonSeconds' | 'singletonNextSlot' | 'startAfter' | 'db' | 'deadLetter'
>;

/**
 * The send options {@link pgBossQueue} starts from (yours override them): 11 retries (12 attempts), exponential
 * backoff from 2 s with jitter, at most 30 min apart: the retries span about an hour. Expiry, retention and
 * deletion stay pg-boss's (or the queue's) defaults.
 *
 * @example
 * ```ts
 * pgBossQueue(boss, { name: 'workos-events', ...PG_BOSS_DEFAULT_SEND_OPTIONS, retryLimit: 20 });
 * ```
 */
export const PG_BOSS_DEFAULT_SEND_OPTIONS: Readonly<PgBossEventSendOptions> = Object.freeze({
  retryLimit: 11,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 1_800,
});

const OWNED_SEND_OPTIONS = ['id', 'singletonKey', 'singletonSeconds', 'singletonNextSlot', 'startAfter', 'db'];

/**
 * Which queue, shared by {@link pgBossQueue} and {@link workPgBoss} (give both the same values).
 *
 * @example
 * ```ts
 * const target: PgBossQueueTarget = { name: 'workos-events', deadLetter: 'workos-events.dead-letter' };
 * ```
 */
export interface PgBossQueueTarget {
  /** The queue's name (letters, digits, `_`, `-`, `.`, `/`). */
  name: string;
  /**
   * The dead-letter queue: where a job goes once its retries are exhausted (`boss.redrive(deadLetter)` sends its jobs
   * back). Default `<name>.dead-letter`; `false` for none. Used only when this call creates the queue.
   */
  deadLetter?: string | false;
}

/**
 * Options of {@link pgBossQueue}: the queue, and the send options of every job.
 *
 * @example
 * ```ts
 * const options: PgBossQueueOptions = { name: 'workos-events', retryLimit: 8 };
 * ```
 */
export interface PgBossQueueOptions extends PgBossQueueTarget, PgBossEventSendOptions {}

/**
 * A {@link WorkOSEventQueue} on pg-boss, with the queue's name and dead-letter queue.
 *
 * @example
 * ```ts
 * const queue: PgBossEventQueue = pgBossQueue(boss, { name: 'workos-events' });
 * console.log(queue.name, queue.deadLetter);
 * ```
 */
export interface PgBossEventQueue extends WorkOSEventQueue {
  readonly name: string;
  /** The dead-letter queue created with the queue, or undefined for none. */
  readonly deadLetter: string | undefined;
  /** Creates the queues now (the first `enqueue` does it otherwise), so a bad setup fails at start-up. */
  ready(): Promise<void>;
}

/** The policy that allows one queued-or-running job per `singletonKey`: one job per event id. */
const POLICY = 'exclusive';

/** Queue creation per PgBoss instance and name: once per process, again after a failure. */
const created = new WeakMap<PgBoss, Map<string, Promise<void>>>();

function deadLetterOf(target: PgBossQueueTarget, name: string): string | undefined {
  if (target.deadLetter === false) return undefined;
  if (target.deadLetter === undefined) return `${name}.dead-letter`;
  return queueNameOption('deadLetter', target.deadLetter);
}

/**
 * Creates the dead-letter queue and the queue (`exclusive` policy) if missing; refuses a queue that exists with
 * another policy, since only `exclusive` keeps one job per event id.
 */
function ensureQueue(boss: PgBoss, name: string, deadLetter: string | undefined): Promise<void> {
  let byName = created.get(boss);
  if (!byName) {
    byName = new Map();
    created.set(boss, byName);
  }
  const known = byName.get(name);
  if (known) return known;
  const creating = (async () => {
    if (deadLetter) await boss.createQueue(deadLetter);
    await boss.createQueue(name, { policy: POLICY, ...(deadLetter ? { deadLetter } : {}) });
    const queue = await boss.getQueue(name);
    if (queue && queue.policy !== POLICY) {
      throw new WorkOSQueueError(
        'queue_policy_mismatch',
        `pg-boss queue '${name}' exists with policy '${queue.policy}'; WorkOS events need '${POLICY}' (one job per ` +
          'event id). Use a new queue name, or delete this queue once it is empty.',
      );
    }
  })();
  byName.set(name, creating);
  creating.catch(() => byName.delete(name));
  return creating;
}

function checkBoss(boss: PgBoss, caller: string): void {
  if (!boss || typeof boss.send !== 'function' || typeof boss.work !== 'function') {
    throw new WorkOSQueueError('invalid_option', `${caller} takes a started PgBoss instance: new PgBoss(url).start().`);
  }
}

/**
 * A {@link WorkOSEventQueue} that sends one pg-boss job per event to the queue `name`: data = the event,
 * `singletonKey` = the event id, on a queue with the `exclusive` policy, so a duplicate delivery while the job is
 * queued, retrying or running adds nothing (`send` returns null). After the job completed, a new delivery adds a new
 * job, which ends `duplicate` through the idempotency store; after it failed for good, a new delivery is a new chance.
 *
 * The queue and its dead-letter queue are created on first use if missing (or call `ready()` at start-up). A queue
 * that already exists with another policy is refused (`queue_policy_mismatch`).
 *
 * @example
 * ```ts
 * import { PgBoss } from 'pg-boss';
 * import { createWorkOSWebhookHandler } from 'workos-events';
 * import { pgBossQueue } from 'workos-events/queues/pg-boss';
 *
 * const boss = await new PgBoss(process.env.DATABASE_URL!).start();
 * const queue = pgBossQueue(boss, { name: 'workos-events', retryLimit: 8 });
 * await queue.ready();
 * const webhooks = createWorkOSWebhookHandler({ secret, store, queue });
 * ```
 */
export function pgBossQueue(boss: PgBoss, options: PgBossQueueOptions): PgBossEventQueue {
  checkBoss(boss, 'pgBossQueue');
  const { name: rawName, deadLetter: _deadLetter, ...sendOptions } = options ?? ({} as PgBossQueueOptions);
  const name = queueNameOption('name', rawName);
  const deadLetter = deadLetterOf(options, name);
  for (const key of OWNED_SEND_OPTIONS) {
    if ((sendOptions as Record<string, unknown>)[key] !== undefined) {
      throw new WorkOSQueueError(
        'invalid_option',
        `pgBossQueue: \`${key}\` cannot be set: the singletonKey is the event id, one job per event.`,
      );
    }
  }
  const send: SendOptions = { ...PG_BOSS_DEFAULT_SEND_OPTIONS, ...sendOptions };
  // pg-boss refuses retryDelayMax without backoff: the default cap goes when backoff is turned off.
  if (send.retryBackoff !== true && sendOptions.retryDelayMax === undefined) delete send.retryDelayMax;
  return {
    name,
    deadLetter,
    ready: () => ensureQueue(boss, name, deadLetter),
    async enqueue(event: WorkOSEvent, { jobId }): Promise<void> {
      await ensureQueue(boss, name, deadLetter);
      // null = a job for this event is already queued or running: the delivery is stored either way.
      await boss.send(name, event as unknown as object, { ...send, singletonKey: jobId });
    },
  };
}

/**
 * Work options {@link workPgBoss} may set: pg-boss's `WorkOptions` (`batchSize`, `localConcurrency`,
 * `pollingIntervalSeconds`…) without the ones it owns.
 *
 * @example
 * ```ts
 * const work: PgBossEventWorkOptions = { localConcurrency: 4, batchSize: 5, pollingIntervalSeconds: 1 };
 * ```
 */
export type PgBossEventWorkOptions = Omit<
  WorkOptions,
  'includeMetadata' | 'perJobResults' | 'transactional' | 'transactionTimeoutSeconds' | 'ignoreStartAfter'
>;

const OWNED_WORK_OPTIONS = [
  'includeMetadata',
  'perJobResults',
  'transactional',
  'transactionTimeoutSeconds',
  'ignoreStartAfter',
];

/**
 * Options of {@link workPgBoss}.
 *
 * @example
 * ```ts
 * const options: WorkPgBossOptions = { name: 'workos-events', localConcurrency: 4, inProgressDelaySeconds: 10 };
 * ```
 */
export interface WorkPgBossOptions extends PgBossQueueTarget, PgBossEventWorkOptions {
  /**
   * How long a job is put off when another delivery holds the event's claim (outcome `in_progress`). Default 5.
   */
  inProgressDelaySeconds?: number;
}

/** What a settled job's `output` holds: how `process()` settled the event (or the error of a failed attempt). */
type JobOutput =
  | { outcome: Extract<ProcessOutcome, 'processed' | 'ignored' | 'duplicate' | 'skipped_stale'> }
  | { outcome: 'in_progress' | 'shutting_down'; deferredTo: string | null }
  | { outcome: 'failed'; error: { name: string; message: string; code?: unknown } };

function errorOutput(error: unknown): JobOutput {
  const err = asError(error);
  const code = (err as { code?: unknown }).code;
  return {
    outcome: 'failed',
    error: { name: err.name, message: err.message, ...(code === undefined ? {} : { code }) },
  };
}

/**
 * Puts a job off without spending a retry: pg-boss cannot delay a running job, so a copy is sent for later (with the
 * retries this one had left) and this one completes. The copy's key is derived from this job's id: sent before the
 * completion, so a crash in between leaves two jobs (the second ends `duplicate`), never none; and a re-run of this
 * job finds its copy already queued and sends nothing.
 */
async function defer(
  boss: PgBoss,
  name: string,
  job: JobWithMetadata<WorkOSEvent>,
  event: WorkOSEvent,
  delaySeconds: number,
): Promise<string | null> {
  const options: SendOptions = {
    singletonKey: `${event.id}:deferred:${job.id}`,
    startAfter: delaySeconds,
    priority: job.priority,
    retryLimit: Math.max(0, job.retryLimit - job.retryCount),
    retryDelay: job.retryDelay,
    retryBackoff: job.retryBackoff,
    expireInSeconds: job.expireInSeconds,
    deleteAfterSeconds: job.deleteAfterSeconds,
  };
  if (job.retryDelayMax != null) options.retryDelayMax = job.retryDelayMax;
  if (job.heartbeatSeconds != null) options.heartbeatSeconds = job.heartbeatSeconds;
  if (job.deadLetter) options.deadLetter = job.deadLetter;
  return boss.send(name, event as unknown as object, options);
}

/**
 * Starts a pg-boss worker on the queue `name` that runs each job through `handler.process(event, { source: 'queue' })`:
 * the same listeners, hooks and idempotency store as the web process. Resolves with the work id (for
 * `boss.offWork(name, { id })`). Creates the queue if missing, like {@link pgBossQueue}. Each job of a batch settles on
 * its own (`perJobResults`). Outcome mapping:
 * - `processed`, `ignored`, `duplicate`, `skipped_stale` → the job completes (its `output` says which);
 * - `failed` → the job fails: pg-boss retries it with its backoff, and once `retryLimit` is spent it goes to the
 *   dead-letter queue; `onFailed` fires each time, with `final: true` on the last attempt;
 * - `in_progress` → put off by `inProgressDelaySeconds` without spending a retry (a copy is sent for later, with the
 *   retries left, and this job completes: pg-boss cannot delay a running job);
 * - `shutting_down` (`handler.drain()` was called first) → put off the same way, at once, for another worker.
 * Job data that is not a WorkOS event goes straight to the dead-letter queue (`invalid_job_data`).
 *
 * Shut down in this order: `await boss.offWork(name)` (stops fetching, waits for the running jobs), then
 * `await handler.drain()`, then `await boss.stop()`. A worker that dies instead leaves its jobs active until
 * `expireInSeconds` (or `heartbeatSeconds`) passes; pg-boss then retries them (that spends a retry).
 *
 * @example
 * ```ts
 * import { PgBoss } from 'pg-boss';
 * import { workPgBoss } from 'workos-events/queues/pg-boss';
 *
 * const boss = await new PgBoss(process.env.DATABASE_URL!).start();
 * await workPgBoss(webhooks, boss, { name: 'workos-events', localConcurrency: 4 });
 * process.once('SIGTERM', async () => {
 *   await boss.offWork('workos-events');
 *   await webhooks.drain();
 *   await boss.stop();
 * });
 * ```
 */
export async function workPgBoss(
  handler: WorkOSWebhookHandler,
  boss: PgBoss,
  options: WorkPgBossOptions,
): Promise<string> {
  const webhooks = requireWebhookHandler(handler, 'workPgBoss');
  checkBoss(boss, 'workPgBoss');
  const {
    name: rawName,
    deadLetter: _deadLetter,
    inProgressDelaySeconds,
    ...workOptions
  } = options ?? ({} as WorkPgBossOptions);
  const name = queueNameOption('name', rawName);
  const deadLetter = deadLetterOf(options, name);
  const delaySeconds = delayOption('inProgressDelaySeconds', inProgressDelaySeconds, 5);
  for (const key of OWNED_WORK_OPTIONS) {
    if ((workOptions as Record<string, unknown>)[key] !== undefined) {
      throw new WorkOSQueueError('invalid_option', `workPgBoss: \`${key}\` cannot be set: the worker relies on it.`);
    }
  }
  await ensureQueue(boss, name, deadLetter);

  const settle = async (job: JobWithMetadata<WorkOSEvent>): Promise<JobResult<JobOutput>> => {
    let event: WorkOSEvent;
    try {
      event = eventFromJobData(job.data);
    } catch (error) {
      return { id: job.id, status: 'deadletter', output: errorOutput(error) };
    }
    const result = await webhooks.process(event, { source: 'queue', final: job.retryCount >= job.retryLimit });
    switch (result.outcome) {
      case 'processed':
      case 'ignored':
      case 'duplicate':
      case 'skipped_stale':
        return { id: job.id, status: 'completed', output: { outcome: result.outcome } };
      case 'failed':
        return { id: job.id, status: 'failed', output: errorOutput(result.error) };
      case 'in_progress':
      case 'shutting_down': {
        const delay = result.outcome === 'in_progress' ? delaySeconds : 0;
        try {
          const deferredTo = await defer(boss, name, job, event, delay);
          return { id: job.id, status: 'completed', output: { outcome: result.outcome, deferredTo } };
        } catch (error) {
          // The copy could not be sent (database trouble): fail this job so pg-boss retries it instead.
          return { id: job.id, status: 'failed', output: errorOutput(error) };
        }
      }
      default:
        return result.outcome satisfies never;
    }
  };

  const work = { ...workOptions, includeMetadata: true as const, perJobResults: true as const };
  return boss.work<WorkOSEvent, unknown, typeof work>(name, work, (jobs) => Promise.all(jobs.map(settle)));
}
