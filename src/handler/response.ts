import type { WebhookRejectionCode, WebhookResponse } from './types.js';

/** A small JSON response with fresh headers (the handler may add `connection: close` to them). */
function jsonText(status: number, body: string): WebhookResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body,
  };
}

/** `{"status":"<outcome>"}` bodies, serialized once per outcome rather than per request. */
const STATUS_BODIES: Record<string, string> = {};

/** A 200/202 `{"status":"<status>"}` answer (processed, ignored, duplicate, skipped_stale, accepted). */
export function statusResponse(status: number, outcome: string): WebhookResponse {
  STATUS_BODIES[outcome] ??= JSON.stringify({ status: outcome });
  return jsonText(status, STATUS_BODIES[outcome]);
}

/** An error response: `{"status":"error","code":"…"}` plus `Allow` / `Retry-After` where HTTP expects them. */
export function errorResponse(status: number, code: WebhookRejectionCode): WebhookResponse {
  const res = jsonText(status, `{"status":"error","code":${JSON.stringify(code)}}`);
  if (status === 405) res.headers.allow = 'POST';
  if (status === 409 || status === 503) res.headers['retry-after'] = '30';
  if (status === 413 || status === 408) res.headers.connection = 'close';
  return res;
}
