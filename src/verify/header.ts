import { WorkOSWebhookError } from './errors.js';

/** A parsed `WorkOS-Signature` header. */
export interface ParsedSignatureHeader {
  /** The `t` value: milliseconds since the epoch, as signed. */
  timestamp: number;
  /** The `t` value exactly as sent (the HMAC covers these characters, not a re-formatted number). */
  timestampText: string;
  /** Every `v1` value, hex-decoded to its 32 bytes. */
  signatures: Uint8Array<ArrayBuffer>[];
}

/** More `v1` values than this is not a real delivery; capping them bounds the HMAC work one request can cause. */
export const MAX_SIGNATURES = 8;

const DIGITS = /^\d{1,16}$/;

function malformed(message: string): WorkOSWebhookError {
  return new WorkOSWebhookError('malformed_signature', `Malformed WorkOS-Signature header: ${message}`);
}

/** 0–15 for a hex digit's char code, -1 otherwise. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Decodes a 64-char hex SHA-256 digest, or returns undefined when it is not one. */
function decodeDigest(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length !== 64) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = hexValue(hex.charCodeAt(2 * i));
    const lo = hexValue(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * Parses `t=<ms>, v1=<hex>[, v1=<hex>…]` by key: whitespace-tolerant, order-independent, unknown keys (e.g. a
 * future `v2`) ignored, several `v1` allowed. A `string[]` (Node's header type) is joined with commas.
 * Throws `missing_signature` for an absent/blank header and `malformed_signature` for anything unusable.
 */
export function parseSignatureHeader(header: string | readonly string[] | null | undefined): ParsedSignatureHeader {
  const text = typeof header === 'string' ? header : Array.isArray(header) ? header.join(',') : undefined;
  if (text === undefined || text.trim() === '') {
    if (header !== null && header !== undefined && typeof header !== 'string' && !Array.isArray(header)) {
      throw malformed(`expected a string, got ${typeof header}.`);
    }
    throw new WorkOSWebhookError(
      'missing_signature',
      'The WorkOS-Signature header is missing or empty: this request was not signed by WorkOS.',
    );
  }

  let timestampText: string | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  const parts = text.split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (part.trim() === '') continue; // tolerate "t=1,, v1=…" and a trailing comma
      throw malformed(`part ${i + 1} is not a key=value pair.`);
    }
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestampText !== undefined) throw malformed('the timestamp "t" appears more than once.');
      if (!DIGITS.test(value)) throw malformed('the timestamp "t" is not an integer number of milliseconds.');
      timestampText = value;
    } else if (key === 'v1') {
      const digest = decodeDigest(value);
      if (!digest) throw malformed('a "v1" signature is not 64 hexadecimal characters.');
      if (signatures.length === MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} "v1" signatures.`);
      signatures.push(digest);
    }
  }
  if (timestampText === undefined) throw malformed('no timestamp "t".');
  if (signatures.length === 0) throw malformed('no "v1" signature.');
  return { timestamp: Number(timestampText), timestampText, signatures };
}
