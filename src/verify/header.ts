import { WorkOSWebhookError } from './errors.js';

/** A parsed `WorkOS-Signature` header. */
export interface ParsedSignatureHeader {
  /** The `t` value as a number, in the unit it was sent in (milliseconds from WorkOS, seconds from its CLI emulator). */
  timestamp: number;
  /** The `t` value exactly as sent (the HMAC covers these characters, not a re-formatted number). */
  timestampText: string;
  /** Every `v1` value, hex-decoded to its 32 bytes. */
  signatures: Uint8Array<ArrayBuffer>[];
}

/** More `v1` values than this is not a real delivery; capping them bounds the HMAC work one request can cause. */
export const MAX_SIGNATURES = 8;

function malformed(message: string): WorkOSWebhookError {
  return new WorkOSWebhookError('malformed_signature', `Malformed WorkOS-Signature header: ${message}`);
}

/** Hex digit values by char code (-1: not a hex digit); a table lookup beats branches on the hot path. */
const HEX_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUES[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUES[97 + i] = 10 + i;
  HEX_VALUES[65 + i] = 10 + i;
}

/** 0–15 for a hex digit's char code, -1 otherwise. */
function hexValue(code: number): number {
  return code < 128 ? HEX_VALUES[code]! : -1;
}

/** Decodes the 64 hex chars of `text` from `from` into a SHA-256 digest, or returns undefined when they are not. */
function decodeDigest(text: string, from: number, to: number): Uint8Array<ArrayBuffer> | undefined {
  if (to - from !== 64) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = hexValue(text.charCodeAt(from + 2 * i));
    const lo = hexValue(text.charCodeAt(from + 2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Space, tab and the other characters String.prototype.trim removes that can appear in a header. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 160;
}

function isDigits(text: string, from: number, to: number): boolean {
  if (to <= from || to - from > 16) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Parses `t=<ms or s>, v1=<hex>[, v1=<hex>…]` by key: whitespace-tolerant, order-independent, unknown keys (e.g. a
 * future `v2`) ignored, several `v1` allowed. A `string[]` (Node's header type) is joined with commas.
 * Throws `missing_signature` for an absent/blank header and `malformed_signature` for anything unusable.
 * A single index scan, no split/trim copies: this runs on every request.
 */
export function parseSignatureHeader(header: string | readonly string[] | null | undefined): ParsedSignatureHeader {
  // Only strings are joined: a non-string element (e.g. an object whose `toString` is not callable) would make
  // `join` throw a TypeError instead of a WorkOSWebhookError.
  const isStringList = Array.isArray(header) && header.every((h) => typeof h === 'string');
  const text = typeof header === 'string' ? header : isStringList ? (header as readonly string[]).join(',') : undefined;
  if (text === undefined || text.trim() === '') {
    if (header !== null && header !== undefined && typeof header !== 'string' && !isStringList) {
      throw malformed(
        Array.isArray(header)
          ? 'expected strings, got an array holding another value.'
          : `expected a string, got ${typeof header}.`,
      );
    }
    throw new WorkOSWebhookError(
      'missing_signature',
      'The WorkOS-Signature header is missing or empty: this request was not signed by WorkOS.',
    );
  }

  let timestampText: string | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  const length = text.length;
  let part = 0;
  for (let start = 0; start <= length; part++) {
    let end = text.indexOf(',', start);
    if (end < 0) end = length;
    const next = end + 1;
    // Key: [ks, ke), value: [vs, ve), each without surrounding whitespace.
    let ks = start;
    while (ks < end && isSpace(text.charCodeAt(ks))) ks++;
    const eq = text.indexOf('=', ks);
    if (eq < 0 || eq > end) {
      start = next;
      if (ks === end) continue; // tolerate "t=1,, v1=…" and a trailing comma
      throw malformed(`part ${part + 1} is not a key=value pair.`);
    }
    let ke = eq;
    while (ke > ks && isSpace(text.charCodeAt(ke - 1))) ke--;
    let vs = eq + 1;
    while (vs < end && isSpace(text.charCodeAt(vs))) vs++;
    let ve = end;
    while (ve > vs && isSpace(text.charCodeAt(ve - 1))) ve--;
    start = next;
    const keyLength = ke - ks;
    const k0 = text.charCodeAt(ks);
    if (keyLength === 1 && k0 === 116 /* t */) {
      if (timestampText !== undefined) throw malformed('the timestamp "t" appears more than once.');
      if (!isDigits(text, vs, ve))
        throw malformed('the timestamp "t" is not an integer (milliseconds or seconds since the epoch).');
      timestampText = text.slice(vs, ve);
    } else if (keyLength === 2 && k0 === 118 /* v */ && text.charCodeAt(ks + 1) === 49 /* 1 */) {
      const digest = decodeDigest(text, vs, ve);
      if (!digest) throw malformed('a "v1" signature is not 64 hexadecimal characters.');
      if (signatures.length === MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} "v1" signatures.`);
      signatures.push(digest);
    }
  }
  if (timestampText === undefined) throw malformed('no timestamp "t".');
  if (signatures.length === 0) throw malformed('no "v1" signature.');
  return { timestamp: Number(timestampText), timestampText, signatures };
}
