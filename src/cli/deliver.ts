import { signWorkOSWebhook } from '../verify/sign.js';
import type { CliIO } from './io.js';

/** The result of one POST to a webhook endpoint. */
export interface Delivery {
  /** HTTP status, or 0 when there was no answer (network error, timeout). */
  status: number;
  statusText: string;
  body: string;
  durationMs: number;
  /** Why there was no answer. */
  error?: string;
}

/** Signs `body` as WorkOS does (secret and timestamp given) and POSTs it to `url`. Never throws for HTTP/network. */
export async function deliver(
  io: CliIO,
  url: string,
  body: string,
  sign: { secret: string; timestamp: number },
  timeoutMs: number,
): Promise<Delivery> {
  const signature = signWorkOSWebhook({ payload: body, secret: sign.secret, timestamp: sign.timestamp });
  const started = performance.now();
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (io.signal) signals.push(io.signal);
  try {
    const response = await (io.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'workos-signature': signature,
        'user-agent': 'workos-events-cli',
      },
      body,
      signal: AbortSignal.any(signals),
    });
    const text = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      body: text,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (io.signal?.aborted) throw io.signal.reason;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    return {
      status: 0,
      statusText: '',
      body: '',
      durationMs: Math.round(performance.now() - started),
      error: reason,
    };
  }
}
