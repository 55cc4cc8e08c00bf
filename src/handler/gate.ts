import type { WorkOSEvent } from '../events/index.js';
import { isWorkOSWebhookError } from '../verify/errors.js';
import { type VerifyWebhookInput, verifyWorkOSWebhook } from '../webhook/index.js';
import { exceedsBytes, normalizeBody } from './body.js';
import { clientIp, normalizeIp, WORKOS_WEBHOOK_IPS } from './client-ip.js';
import type { HandlerConfig } from './config.js';
import { isJsonContentType, readHeader, readSingleHeader } from './headers.js';
import type { WebhookRejectionCode, WebhookRequest, WorkOSWebhookHandlerOptions } from './types.js';

/** Why a request was refused before any store or listener was touched. */
export interface Rejection {
  status: number;
  code: WebhookRejectionCode;
  /** Extra log fields (never the payload). */
  fields?: Record<string, unknown>;
}

const reject = (status: number, code: WebhookRejectionCode, fields?: Record<string, unknown>): Rejection =>
  fields ? { status, code, fields } : { status, code };

/**
 * The HTTP gate: method (405) → IP allowlist (403) → content type (415) → body read (500 / 408) → size (413) →
 * signature and payload (401 / 400). Pure request checks: it never touches the store or a listener.
 */
export class RequestGate {
  readonly #cfg: HandlerConfig;
  readonly #allowed: ReadonlySet<string> | undefined;
  /** Verification options that never change between requests (resolved once, not spread per request). */
  readonly #verify: Omit<VerifyWebhookInput, 'payload' | 'signature'>;

  constructor(cfg: HandlerConfig, options: WorkOSWebhookHandlerOptions) {
    this.#cfg = cfg;
    const ips = options.allowedIps === true ? WORKOS_WEBHOOK_IPS : options.allowedIps || undefined;
    this.#allowed = ips ? new Set(ips.map(normalizeIp)) : undefined;
    this.#verify = {
      secret: cfg.secret,
      toleranceMs: cfg.toleranceMs,
      timestampUnit: cfg.timestampUnit,
      now: cfg.now,
      validate: options.validate,
      onSchemaDrift: options.onSchemaDrift,
      rejectUnknownEvents: options.rejectUnknownEvents,
    };
  }

  /**
   * The synchronous checks: method (405) → IP allowlist (403) → content type (415) → body read (500 / 408) → size
   * (413). Undefined when the request may go on to `verify`.
   */
  precheck(req: WebhookRequest): Rejection | undefined {
    if (req.method !== 'POST' && String(req.method).toUpperCase() !== 'POST') return reject(405, 'method_not_allowed');
    if (this.#allowed) {
      const ip = clientIp(req.ip, readSingleHeader(req.headers, 'x-forwarded-for'), this.#cfg.trustProxy);
      if (!ip || !this.#allowed.has(normalizeIp(ip))) return reject(403, 'ip_not_allowed', { ip });
    }
    // Content type before the body checks: a form post eaten by a global urlencoded parser is a 415, not a setup error.
    const contentType = readSingleHeader(req.headers, 'content-type');
    if (this.#cfg.requireJsonContentType && contentType !== undefined && !isJsonContentType(contentType)) {
      return reject(415, 'unsupported_media_type');
    }
    if (req.bodyError === 'body_already_parsed') return reject(500, 'body_already_parsed');
    if (req.bodyError === 'body_timeout') return reject(408, 'body_timeout');
    const declared = Number(readSingleHeader(req.headers, 'content-length'));
    if (declared > this.#cfg.maxBodyBytes || exceedsBytes(normalizeBody(req.rawBody), this.#cfg.maxBodyBytes)) {
      return reject(413, 'payload_too_large');
    }
    return undefined;
  }

  /** Signature and payload of a request `precheck` let through; a refusal rejects (see `rejection`). */
  verify(req: WebhookRequest): Promise<WorkOSEvent> {
    const o = this.#verify;
    return verifyWorkOSWebhook({
      payload: normalizeBody(req.rawBody),
      signature: readHeader(req.headers, 'workos-signature'),
      secret: o.secret,
      toleranceMs: o.toleranceMs,
      timestampUnit: o.timestampUnit,
      now: o.now,
      validate: o.validate,
      onSchemaDrift: o.onSchemaDrift,
      rejectUnknownEvents: o.rejectUnknownEvents,
    });
  }

  /** The 401 / 400 for what `verify` rejected with; anything that is not a refusal (a bug) is rethrown. */
  rejection(error: unknown): Rejection {
    if (!isWorkOSWebhookError(error)) throw error;
    return reject(error.status, error.code);
  }

  /** True when the adapter stopped reading the body (too large or too slow): the connection must then close. */
  bodyLeftUnread(req: WebhookRequest): boolean {
    return req.bodyError === 'body_timeout' || exceedsBytes(normalizeBody(req.rawBody), this.#cfg.maxBodyBytes);
  }
}
