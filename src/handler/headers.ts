import type { WebhookRequest } from './types.js';

/** One header from a Fetch `Headers` or a Node header record (case-insensitive); arrays are kept as arrays. */
export function readHeader(headers: WebhookRequest['headers'], name: string): string | string[] | undefined {
  const record = headers as Record<string, string | string[] | undefined>;
  // Node's lower-cased record first (the common case: one property read); `name` is never a `Headers` method.
  const direct = record[name];
  if (direct !== undefined) return direct;
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  for (const key of Object.keys(record)) if (key.toLowerCase() === name) return record[key];
  return undefined;
}

/** A header that must be single-valued: several values are joined the way HTTP would (`, `). */
export function readSingleHeader(headers: WebhookRequest['headers'], name: string): string | undefined {
  const value = readHeader(headers, name);
  return Array.isArray(value) ? value.join(', ') : value;
}

/** True when a `Content-Type` names JSON (`application/json`, `…+json`, any parameters). */
export function isJsonContentType(value: string): boolean {
  if (value === 'application/json') return true; // what WorkOS sends: skip the parsing below
  const media = value.split(';', 1)[0]!.trim().toLowerCase();
  return media === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(media);
}
