import type { WebhookRejectionCode, WebhookResponse } from './types.js';

const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/** A small JSON response. */
export function jsonResponse(status: number, body: Record<string, string>): WebhookResponse {
  return { status, headers: { ...HEADERS }, body: JSON.stringify(body) };
}

/** An error response: `{"status":"error","code":"…"}` plus `Allow` / `Retry-After` where HTTP expects them. */
export function errorResponse(status: number, code: WebhookRejectionCode): WebhookResponse {
  const res = jsonResponse(status, { status: 'error', code });
  if (status === 405) res.headers.allow = 'POST';
  if (status === 409 || status === 503) res.headers['retry-after'] = '30';
  if (status === 413 || status === 408) res.headers.connection = 'close';
  return res;
}
