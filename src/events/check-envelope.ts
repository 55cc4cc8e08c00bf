import type { WorkOSSchemaIssue } from './parse.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isFilledString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * The envelope check of `validate: 'envelope'`, written by hand because it runs on every delivery: it accepts
 * exactly what `envelopeSchema` accepts (a property test holds the two together) at a fraction of zod's cost.
 * Returns the deviations (paths and kinds, never values); empty when the envelope is valid.
 */
export function checkEnvelope(json: Record<string, unknown>): WorkOSSchemaIssue[] {
  const issues: WorkOSSchemaIssue[] = [];
  const field = (path: string, ok: boolean, expected: string) => {
    if (ok) return;
    const missing = json[path] === undefined;
    issues.push(
      missing
        ? { path, code: 'missing', message: 'Required field is missing' }
        : { path, code: 'invalid_type', message: `Expected ${expected}` },
    );
  };
  field('id', isFilledString(json.id), 'a non-empty string');
  field('event', isFilledString(json.event), 'a non-empty string');
  field('data', isRecord(json.data), 'an object');
  field('created_at', isFilledString(json.created_at), 'a non-empty string');
  if (json.object !== undefined && json.object !== 'event') {
    issues.push({ path: 'object', code: 'invalid_value', message: 'Expected "event"' });
  }
  if (json.context !== undefined && !isRecord(json.context)) {
    issues.push({ path: 'context', code: 'invalid_type', message: 'Expected an object' });
  }
  return issues;
}

/** Issues as a message: paths and kinds (at most 10), never values. */
export function describeIssues(issues: readonly WorkOSSchemaIssue[]): string {
  const shown = issues.slice(0, 10).map((i) => `${i.path} (${i.code})`);
  const more = issues.length > shown.length ? `, and ${issues.length - shown.length} more` : '';
  return `${shown.join(', ')}${more}`;
}
