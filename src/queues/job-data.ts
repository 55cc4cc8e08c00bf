import { checkEnvelope } from '../events/check-envelope.js';
import type { WorkOSEvent } from '../events/index.js';
import { WorkOSQueueError } from './errors.js';

/**
 * The event a job carries. The web process stored a verified event, but a queue is shared ground: anything else
 * written to it is refused here (paths of the problems only, never values) instead of reaching the store or a
 * listener.
 */
export function eventFromJobData(data: unknown): WorkOSEvent {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new WorkOSQueueError('invalid_job_data', `Job data is not a WorkOS event (got ${kind(data)}).`);
  }
  const issues = checkEnvelope(data as Record<string, unknown>);
  if (issues.length > 0) {
    const where = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new WorkOSQueueError('invalid_job_data', `Job data is not a WorkOS event (${where}).`);
  }
  return data as WorkOSEvent;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** A listener may throw anything; queue engines want an Error (its message becomes the job's failure reason). */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new Error(`A listener threw a non-Error value (${kind(error)}).`, { cause: error });
}

/** Checks a delay option once, at setup. */
export function delayOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new WorkOSQueueError('invalid_option', `\`${name}\` must be a non-negative number.`);
  }
  return value;
}

/** Checks a queue name once, at setup. */
export function queueNameOption(option: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new WorkOSQueueError('invalid_option', `\`${option}\` must be a non-empty string (the queue's name).`);
  }
  return value;
}
