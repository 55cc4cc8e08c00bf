import { specExampleEvents } from '../events/generated/examples.js';
import type { WorkOSEventName } from '../events/generated/names.js';
import type { WorkOSEventOf } from '../events/types.js';
import { PREFIXED_ID, ulid } from './ids.js';

/**
 * Deep-partial overrides for {@link createTestEvent}. Objects merge key by key; arrays and primitives replace;
 * `undefined` removes the key (handy for simulating drift such as a missing required field).
 *
 * @example
 * ```ts
 * const o: TestEventOverrides<'user.created'> = { data: { email: 'ada@example.com' } };
 * ```
 */
export type TestEventOverrides<N extends WorkOSEventName> = DeepPartial<WorkOSEventOf<N>>;

/**
 * Recursive `Partial`: arrays are replaced, not merged.
 *
 * @example
 * ```ts
 * const p: DeepPartial<{ a: { b: string; c: number } }> = { a: { b: 'x' } };
 * ```
 */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = deepMerge(out[key], value);
    else out[key] = structuredClone(value);
  }
  return out;
}

/**
 * A realistic event of the given type that passes `validate: 'strict'`: the field values of the WorkOS spec's
 * examples, or of the overlay's for the types only SDK 12 knows (ids with their real prefixes such as
 * `directory_user_`, `org_`, `conn_`), a fresh `event_` id and a fresh prefixed `data.id` on every call, `created_at` = now (ISO 8601), `object: "event"`; then `overrides` deep-merged in.
 *
 * @example
 * ```ts
 * const event = createTestEvent('dsync.user.created', { data: { email: 'ada@example.com' } });
 * const body = JSON.stringify(event);
 * const signature = signWorkOSWebhook({ payload: body, secret: 'whsec_test' });
 * ```
 */
export function createTestEvent<N extends WorkOSEventName>(
  name: N,
  overrides?: TestEventOverrides<N>,
): WorkOSEventOf<N> {
  const example = (specExampleEvents as Record<string, unknown>)[name];
  if (!isPlainObject(example))
    throw new TypeError(`createTestEvent: unknown WorkOS event type ${JSON.stringify(name)}`);
  const now = Date.now();
  const event = structuredClone(example);
  event.id = `event_${ulid(now)}`;
  event.created_at = new Date(now).toISOString();
  const data = event.data as Record<string, unknown>;
  const prefix = typeof data.id === 'string' ? PREFIXED_ID.exec(data.id)?.[1] : undefined;
  if (prefix) data.id = `${prefix}${ulid(now)}`;
  return (overrides ? deepMerge(event, overrides as Record<string, unknown>) : event) as unknown as WorkOSEventOf<N>;
}
