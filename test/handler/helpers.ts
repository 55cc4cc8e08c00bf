/** Helpers for the handler-core tests: signed requests, a recording store, a recording logger. */
import { createHmac, randomUUID } from 'node:crypto';
import type { ClaimOptions, ClaimResult, CompleteOptions, IdempotencyStore } from '../../src/idempotency/types.js';
import type { WebhookRequest, WebhookResponse, WorkOSLogger } from '../../src/index.js';
import { MemoryIdempotencyStore } from '../../src/index.js';

export const SECRET = 'whsec_handler_test_secret';

/** A realistic `dsync.user.created` event (wire JSON) with a fresh id. */
export function makeEvent(
  overrides: { id?: string; event?: string; data?: Record<string, unknown> } = {},
): Record<string, unknown> & { id: string; event: string } {
  return {
    id: overrides.id ?? `event_${randomUUID().replaceAll('-', '').toUpperCase()}`,
    event: overrides.event ?? 'dsync.user.created',
    data: overrides.data ?? {
      object: 'directory_user',
      id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
      directory_id: 'directory_01ECAZ4NV9QMV47GW873HDCX74',
      organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
      email: 'secret-pii@example.com',
      state: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    },
    created_at: new Date().toISOString(),
  };
}

/** `t=<ms>, v1=<hex>`, computed with node:crypto independently of the library's signer. */
export function sign(body: string | Uint8Array, opts: { secret?: string; t?: number } = {}): string {
  const t = String(opts.t ?? Date.now());
  const hmac = createHmac('sha256', opts.secret ?? SECRET)
    .update(`${t}.`)
    .update(body)
    .digest('hex');
  return `t=${t}, v1=${hmac}`;
}

/** A correctly signed POST for `event` (or a raw body string). */
export function signedRequest(event: object | string, extra: Partial<WebhookRequest> = {}): WebhookRequest {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'workos-signature': sign(body) },
    rawBody: body,
    ...extra,
  };
}

/** Parses a response body. */
export function bodyOf(res: WebhookResponse): { status?: string; code?: string } {
  return JSON.parse(res.body) as { status?: string; code?: string };
}

/** Every store call, in order. */
export type StoreCall = { op: 'claim' | 'complete' | 'release'; key: string };

/** Wraps a store and records each call; `failClaim` makes `claim` throw (a store outage). */
export class RecordingStore implements IdempotencyStore {
  readonly calls: StoreCall[] = [];
  failClaim = false;
  constructor(readonly inner: IdempotencyStore = new MemoryIdempotencyStore()) {}

  async claim(key: string, opts: ClaimOptions): Promise<ClaimResult> {
    this.calls.push({ op: 'claim', key });
    if (this.failClaim) throw new Error('store down');
    return this.inner.claim(key, opts);
  }
  async complete(key: string, token: string, opts?: CompleteOptions): Promise<boolean> {
    this.calls.push({ op: 'complete', key });
    return this.inner.complete(key, token, opts);
  }
  async release(key: string, token: string): Promise<boolean | undefined> {
    this.calls.push({ op: 'release', key });
    return (await this.inner.release(key, token)) ?? undefined;
  }
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }
}

/** A logger that keeps every line (as pino would receive it). */
export function recordingLogger(): WorkOSLogger & {
  lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }>;
} {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

/** A promise with its resolve function, to hold a handler open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
