import type { z } from 'zod';
import { WorkOSEventParseError } from '../errors/parse.js';
import { describeIssues } from './check-envelope.js';
import type { WorkOSEventName } from './generated/names.js';
import type { ParseWorkOSEventOptions, WorkOSSchemaIssue } from './parse.js';
import type { WorkOSEvent } from './types.js';

/** True when the last key of `path` is absent from its parent object in `input`. */
function isAbsent(input: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  let node = input;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return (
    node !== null && typeof node === 'object' && (node as Record<PropertyKey, unknown>)[path.at(-1)!] === undefined
  );
}

function toIssues(error: z.ZodError, input: unknown): WorkOSSchemaIssue[] {
  return error.issues.map((issue) => {
    const missing = issue.code === 'invalid_type' && isAbsent(input, issue.path);
    return {
      path: issue.path.map(String).join('.') || '(root)',
      code: missing ? 'missing' : issue.code,
      message: missing ? 'Required field is missing' : issue.message,
    };
  });
}

const warned = new Set<string>();
const MAX_WARNED = 1000;

/** The default drift reporter: one warning per event type and path, values never printed. */
function warnDrift(event: WorkOSEvent, issues: readonly WorkOSSchemaIssue[]): void {
  const fresh = issues.filter((i) => {
    const k = `${event.event}\u0000${i.path}`;
    if (warned.has(k) || warned.size >= MAX_WARNED) return false;
    warned.add(k);
    return true;
  });
  if (fresh.length === 0) return;
  console.warn(
    `[workos-events] ${JSON.stringify(event.event)} event ${event.id} differs from the WorkOS spec at: ${describeIssues(fresh)}. The event was accepted (validate: 'full').`,
  );
}

/**
 * `validate: 'full' | 'strict'` of one known event against its spec-exact schema: in strict mode a deviation throws
 * `invalid_event` (paths only, never values); in full mode it goes to `onSchemaDrift` (default: {@link warnDrift}).
 */
export function checkAgainstSpec(
  specSchema: (name: WorkOSEventName) => z.ZodType,
  event: WorkOSEvent,
  name: WorkOSEventName,
  strict: boolean,
  onSchemaDrift: ParseWorkOSEventOptions['onSchemaDrift'],
): void {
  const result = specSchema(name).safeParse(event);
  if (result.success) return;
  const issues = toIssues(result.error, event);
  if (strict) {
    throw new WorkOSEventParseError(
      'invalid_event',
      `The ${JSON.stringify(name)} event does not match the WorkOS spec at: ${describeIssues(issues)}.`,
    );
  }
  (onSchemaDrift ?? warnDrift)(event, issues);
}
