import { WorkOSEventParseError } from '../errors/parse.js';
import { checkEnvelope, describeIssues } from './check-envelope.js';
import { isKnownWorkOSEventName } from './guards.js';
import { loadedSchemas, needsSchemas } from './schema-loader.js';
import type { WorkOSEvent } from './types.js';

/**
 * How much of an event to check:
 * - `'envelope'` (default): `id`, `event`, `data`, `created_at` (and `object`/`context` when present);
 * - `'full'`: every field against the spec; deviations go to `onSchemaDrift` and the event is still returned;
 * - `'strict'`: every field against the spec; any deviation throws `invalid_event`;
 *
 * `'full'` and `'strict'` need zod and the generated schemas, loaded on demand: the async APIs load them on first use,
 * the synchronous ones need `await preloadWorkOSEventSchemas()` first (else `schemas_not_loaded`).
 * - `'none'`: only that the payload is a JSON object (trust the signature).
 *
 * @example
 * ```ts
 * const mode: ValidateMode = process.env.NODE_ENV === 'test' ? 'strict' : 'full';
 * ```
 */
export type ValidateMode = 'strict' | 'full' | 'envelope' | 'none';

/**
 * One place where an event deviates from the spec. Carries the path and the kind of deviation, never the value.
 *
 * @example
 * ```ts
 * const issue: WorkOSSchemaIssue = { path: 'data.state', code: 'invalid_value', message: 'Invalid option' };
 * ```
 */
export interface WorkOSSchemaIssue {
  /** Dotted path inside the event, e.g. `data.emails.0.value`. */
  path: string;
  /** `missing` for an absent required field, otherwise zod's issue code (`invalid_type`, `invalid_value`, …). */
  code: string;
  /** What was expected; never contains the received value. */
  message: string;
}

/**
 * Options of {@link parseWorkOSEvent} (also accepted by `verifyWorkOSWebhook`).
 *
 * @example
 * ```ts
 * parseWorkOSEvent(json, { validate: 'full', onSchemaDrift: (e, issues) => log.warn({ type: e.event, issues }) });
 * ```
 */
export interface ParseWorkOSEventOptions {
  /** Default `'envelope'`. */
  validate?: ValidateMode;
  /**
   * Called in `validate: 'full'` when an event deviates from the spec (the event is still returned). Default: one
   * `console.warn` per event type and path for the life of the process, without values.
   */
  onSchemaDrift?: (event: WorkOSEvent, issues: readonly WorkOSSchemaIssue[]) => void;
  /** Throw `unknown_event` (status 400) for an event type not in `WORKOS_EVENT_NAMES`. Default `false`. */
  rejectUnknownEvents?: boolean;
}

/**
 * Turns a parsed JSON value into a {@link WorkOSEvent}, checking as much as `opts.validate` asks (default
 * `'envelope'`). Returns the input object itself (unknown fields kept, nothing renamed). Unknown event types are
 * returned as {@link UnknownWorkOSEvent} unless `rejectUnknownEvents` is set.
 *
 * Errors ({@link WorkOSEventParseError}, status 400): `invalid_payload` (not an object / bad envelope), `invalid_event`
 * (`strict` and the event deviates from the spec; the message lists paths, never values), `unknown_event`; status
 * 500 `schemas_not_loaded` for `'full' | 'strict'` before {@link preloadWorkOSEventSchemas} has resolved.
 *
 * @example
 * ```ts
 * const event = parseWorkOSEvent(JSON.parse(body)); // validate: 'envelope'
 * if (event.event === 'user.created') console.log(event.data.email);
 * ```
 */
export function parseWorkOSEvent(json: unknown, opts: ParseWorkOSEventOptions = {}): WorkOSEvent {
  const mode = opts.validate ?? 'envelope';
  const schemas = needsSchemas(mode) ? loadedSchemas() : undefined;
  if (needsSchemas(mode) && !schemas) {
    throw new WorkOSEventParseError(
      'schemas_not_loaded',
      `validate: '${mode}' needs the event schemas, which load on demand: call \`await preloadWorkOSEventSchemas()\` once at startup (or use an async API such as verifyWorkOSWebhook).`,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new WorkOSEventParseError('invalid_payload', 'The payload is not a JSON object.');
  }
  if (mode !== 'none') {
    const issues = checkEnvelope(json as Record<string, unknown>);
    if (issues.length > 0) {
      throw new WorkOSEventParseError(
        'invalid_payload',
        `The payload is not a WorkOS event (invalid: ${describeIssues(issues)}).`,
      );
    }
  }
  const event = json as WorkOSEvent;
  const name = (json as { event?: unknown }).event;
  const known = typeof name === 'string' && isKnownWorkOSEventName(name);
  if (!known) {
    if (opts.rejectUnknownEvents) {
      throw new WorkOSEventParseError(
        'unknown_event',
        `Unknown WorkOS event type ${typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : '(none)'}.`,
      );
    }
    return event;
  }
  // The spec check lives with the schemas (loaded on demand), so the default path stays small.
  if (schemas) schemas.checkAgainstSpec(event, name, mode === 'strict', opts.onSchemaDrift);
  return event;
}
