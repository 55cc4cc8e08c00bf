import type { WebhookRequest } from './types.js';

const encoder = new TextEncoder();

/** The body as verification takes it (string or bytes); empty when absent. */
export function normalizeBody(raw: WebhookRequest['rawBody']): string | Uint8Array {
  if (raw === null || raw === undefined) return '';
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  return raw;
}

/** Whether `body` is longer than `max` bytes (UTF-8 for strings, computed only when it could matter). */
export function exceedsBytes(body: string | Uint8Array, max: number): boolean {
  if (typeof body !== 'string') return body.byteLength > max;
  if (body.length > max) return true;
  if (body.length * 3 <= max) return false;
  return encoder.encode(body).byteLength > max;
}
