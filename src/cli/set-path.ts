import { CliError, EXIT } from './io.js';

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Parses `--set path=value` into a path and a value. The value is read as JSON when it is valid JSON
 * (`42`, `true`, `null`, `"42"`, `{"a":1}`), otherwise taken as a plain string (`Ada`, `org_123`).
 */
export function parseAssignment(text: string): { path: string[]; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new CliError(`--set expects path=value (e.g. data.first_name=Ada), got: ${text}`, EXIT.usage);
  const path = text.slice(0, eq).split('.');
  if (path.some((key) => key.length === 0 || FORBIDDEN.has(key))) {
    throw new CliError(`--set: invalid path '${text.slice(0, eq)}'`, EXIT.usage);
  }
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string.
  }
  return { path, value };
}

/** Sets `value` at `path` inside `target`, creating plain objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
