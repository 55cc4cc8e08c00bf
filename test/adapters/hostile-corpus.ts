/**
 * The hostile-input corpus: requests no WorkOS endpoint should ever act on, each with the status and code the handler
 * documents for it (docs/handler.md). Shared by every adapter's tests: start a server whose handler uses
 * `CORPUS_SECRET` and `HOSTILE_CORPUS_OPTIONS`, then `sendRaw(port, c.request())` for each case and compare with
 * `c.expect`. Requests are written byte for byte over a socket (duplicate headers, stalls, broken framing).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkOSWebhookHandler,
  type IdempotencyStore,
  MemoryIdempotencyStore,
  type WorkOSWebhookHandler,
  type WorkOSWebhookHandlerOptions,
} from '../../src/index.js';

export const CORPUS_SECRET = 'whsec_hostile_corpus_secret';

/** Handler options the corpus assumes (a small body limit and a short body timeout keep it fast). */
export const HOSTILE_CORPUS_OPTIONS = { maxBodyBytes: 64 * 1024, bodyTimeoutMs: 400 } as const;

/** Where the route is mounted in the corpus servers. */
export const CORPUS_PATH = '/webhooks/workos';

/** A request, written as is: headers in order (duplicates allowed), a body sent at once or in timed chunks. */
export interface RawRequest {
  method?: string;
  headers: Array<[string, string | Buffer]>;
  /** Sent at once; `Content-Length` is added unless a header sets it or `chunks` is used. */
  body?: string | Uint8Array;
  /** Chunked transfer: each part after `delayMs`; `finish: false` never sends the final chunk (a stall). */
  chunks?: { parts: Array<string | Uint8Array>; delayMs: number; finish: boolean };
  /** Raw bytes to send after the head instead of `body` (for a declared length that never arrives). */
  rawTail?: Uint8Array;
}

/** The expected answer. `code: null` = refused by the HTTP server's own parser before any adapter code ran. */
export interface CorpusExpectation {
  status: number;
  code: string | null;
}

export interface HostileCase {
  name: string;
  request(): RawRequest;
  expect: CorpusExpectation;
  /** `'http'`: Node's HTTP parser rejects it (other runtimes may answer differently). */
  layer?: 'http';
}

const enc = new TextEncoder();

/** A realistic event body with a fresh id. */
export function corpusEventBody(): string {
  return JSON.stringify({
    id: `event_${randomUUID().replaceAll('-', '').toUpperCase()}`,
    event: 'dsync.user.created',
    data: {
      object: 'directory_user',
      id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
      organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
      email: 'zoe@example.com',
      state: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    },
    created_at: new Date().toISOString(),
  });
}

function hmac(t: string, body: string | Uint8Array, secret = CORPUS_SECRET): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

/** A correct `WorkOS-Signature` for `body`, with optional `t` and secret. */
export function corpusSign(body: string | Uint8Array, opts: { t?: string | number; secret?: string } = {}): string {
  const t = String(opts.t ?? Date.now());
  return `t=${t}, v1=${hmac(t, body, opts.secret)}`;
}

const JSON_CT: [string, string] = ['Content-Type', 'application/json'];
const now = () => Date.now();
const hex64 = () => 'ab'.repeat(32);

/** POST with the given signature header value(s) and body. */
function post(body: string | Uint8Array, signature?: string | string[], extra: Array<[string, string]> = [JSON_CT]) {
  const sigs = signature === undefined ? [] : Array.isArray(signature) ? signature : [signature];
  return { headers: [...extra, ...sigs.map((s): [string, string] => ['WorkOS-Signature', s])], body };
}

/** A signed POST of `body` (which is hostile in some other way). */
const signed = (body: string | Uint8Array, extra: Array<[string, string]> = [JSON_CT]) =>
  post(body, corpusSign(body), extra);

/** A header case: a fresh valid body with this signature header. */
function sig(name: string, header: (body: string) => string | string[], code: string, status = 401): HostileCase {
  return {
    name: `signature: ${name}`,
    request: () => {
      const body = corpusEventBody();
      return post(body, header(body));
    },
    expect: { status, code },
  };
}

function body(name: string, make: () => string | Uint8Array, code = 'invalid_payload', status = 400): HostileCase {
  return { name: `body: ${name}`, request: () => signed(make()), expect: { status, code } };
}

function method(m: string): HostileCase {
  return {
    name: `method: ${m}`,
    request: () => ({ method: m, ...signed(corpusEventBody()) }),
    expect: { status: 405, code: 'method_not_allowed' },
  };
}

function contentType(type: string, code = 'unsupported_media_type', status = 415): HostileCase {
  return {
    name: `content-type: ${JSON.stringify(type)}`,
    request: () => signed(corpusEventBody(), [['Content-Type', type]]),
    expect: { status, code },
  };
}

const LIMIT = HOSTILE_CORPUS_OPTIONS.maxBodyBytes;

export const HOSTILE_CORPUS: readonly HostileCase[] = [
  // Methods: a webhook is a POST; anything else is refused before the body is looked at.
  method('GET'),
  method('PUT'),
  method('PATCH'),
  method('DELETE'),
  method('OPTIONS'),

  // The WorkOS-Signature header.
  {
    name: 'signature: missing',
    request: () => post(corpusEventBody()),
    expect: { status: 401, code: 'missing_signature' },
  },
  sig('empty', () => '', 'missing_signature'),
  sig('whitespace only', () => '   ', 'missing_signature'),
  sig('garbage', () => 'garbage', 'malformed_signature'),
  sig('a lone "="', () => '=', 'malformed_signature'),
  sig('t only', () => `t=${now()}`, 'malformed_signature'),
  sig('v1 only', (b) => `v1=${hmac(String(now()), b)}`, 'malformed_signature'),
  sig('keys upper-cased', (b) => corpusSign(b).replace('t=', 'T=').replace('v1=', 'V1='), 'malformed_signature'),
  sig('t=NaN', (b) => `t=NaN, v1=${hmac('NaN', b)}`, 'malformed_signature'),
  sig('t not a number', (b) => `t=abc, v1=${hmac('abc', b)}`, 'malformed_signature'),
  sig('t empty', (b) => `t=, v1=${hmac('', b)}`, 'malformed_signature'),
  sig('t a float', (b) => `t=${now()}.5, v1=${hmac(`${now()}.5`, b)}`, 'malformed_signature'),
  sig('t in hex', (b) => `t=0x1, v1=${hmac('0x1', b)}`, 'malformed_signature'),
  sig('t negative', (b) => `t=-${now()}, v1=${hmac(`-${now()}`, b)}`, 'malformed_signature'),
  sig('t with a plus sign', (b) => `t=+${now()}, v1=${hmac(`+${now()}`, b)}`, 'malformed_signature'),
  sig(
    't huge (beyond 2^53)',
    (b) => `t=99999999999999999999999, v1=${hmac('99999999999999999999999', b)}`,
    'malformed_signature',
  ),
  sig('t twice in one header', (b) => `${corpusSign(b)}, t=${now()}`, 'malformed_signature'),
  sig('header sent twice, both valid', (b) => [corpusSign(b), corpusSign(b)], 'malformed_signature'),
  sig('header sent twice, valid then garbage', (b) => [corpusSign(b), 'garbage'], 'malformed_signature'),
  sig('v1 not hex', () => `t=${now()}, v1=${'zz'.repeat(32)}`, 'malformed_signature'),
  sig('v1 63 hex chars', () => `t=${now()}, v1=${hex64().slice(1)}`, 'malformed_signature'),
  sig('v1 65 hex chars', () => `t=${now()}, v1=${hex64()}a`, 'malformed_signature'),
  sig(
    'v1 base64 instead of hex',
    (b) => `t=${now()}, v1=${Buffer.from(hmac(String(now()), b), 'hex').toString('base64')}`,
    'malformed_signature',
  ),
  sig('8 KB of junk', () => `t=${now()}, ${'x=y, '.repeat(1600)}`, 'malformed_signature'),
  // A fresh seconds `t` (WorkOS's CLI emulator) is accepted; the window still holds in seconds.
  sig(
    't in seconds, 10 minutes old (correct HMAC)',
    (b) => corpusSign(b, { t: Math.floor((now() - 600_000) / 1000) }),
    'timestamp_too_old',
  ),
  sig(
    't in seconds, 10 minutes ahead (correct HMAC)',
    (b) => corpusSign(b, { t: Math.floor((now() + 600_000) / 1000) }),
    'timestamp_too_new',
  ),
  sig('t in microseconds (correct HMAC)', (b) => corpusSign(b, { t: now() * 1000 }), 'timestamp_too_new'),
  sig('t = 0 (correct HMAC)', (b) => corpusSign(b, { t: 0 }), 'timestamp_too_old'),
  sig('10 minutes old (correct HMAC)', (b) => corpusSign(b, { t: now() - 600_000 }), 'timestamp_too_old'),
  sig('10 minutes ahead (correct HMAC)', (b) => corpusSign(b, { t: now() + 600_000 }), 'timestamp_too_new'),
  sig('wrong secret', (b) => corpusSign(b, { secret: 'whsec_attacker' }), 'signature_mismatch'),
  sig('random v1', () => `t=${now()}, v1=${hex64()}`, 'signature_mismatch'),
  sig('two v1, both wrong', () => `t=${now()}, v1=${hex64()}, v1=${'cd'.repeat(32)}`, 'signature_mismatch'),
  sig(
    'HMAC over another t',
    (b) => {
      const t = now(); // once: two calls straddling a millisecond tick would sign the right t (a flake seen in CI)
      return `t=${t}, v1=${hmac(String(t - 1), b)}`;
    },
    'signature_mismatch',
  ),
  sig(
    'HMAC without the "t." prefix',
    (b) => `t=${now()}, v1=${createHmac('sha256', CORPUS_SECRET).update(b).digest('hex')}`,
    'signature_mismatch',
  ),
  sig('HMAC of the empty body', () => corpusSign(''), 'signature_mismatch'),
  sig(
    'secret base64-decoded (Standard Webhooks style)',
    (b) => {
      const t = String(now());
      return `t=${t}, v1=${createHmac('sha256', Buffer.from(CORPUS_SECRET.slice(6), 'base64'))
        .update(`${t}.${b}`)
        .digest('hex')}`;
    },
    'signature_mismatch',
  ),
  {
    name: 'signature: body tampered after signing',
    request: () => {
      const b = corpusEventBody();
      return post(b.replace('zoe@example.com', 'eve@example.com'), corpusSign(b));
    },
    expect: { status: 401, code: 'signature_mismatch' },
  },
  {
    name: 'signature: signed pretty JSON, sent re-stringified',
    request: () => {
      const b = corpusEventBody();
      return post(b, corpusSign(JSON.stringify(JSON.parse(b), null, 2)));
    },
    expect: { status: 401, code: 'signature_mismatch' },
  },
  {
    name: 'signature: latin-1 bytes in the header value',
    request: () => ({
      headers: [JSON_CT, ['WorkOS-Signature', Buffer.from('t=1\xe9, v1=\xff', 'latin1')]],
      body: corpusEventBody(),
    }),
    expect: { status: 401, code: 'malformed_signature' },
  },

  // Bodies that carry a valid signature but are not a WorkOS event.
  body('empty', () => ''),
  body('not JSON', () => 'hello world'),
  body('truncated JSON', () => corpusEventBody().slice(0, 40)),
  body('a JSON array', () => '[1,2,3]'),
  body('a JSON string', () => '"event"'),
  body('JSON null', () => 'null'),
  body('a JSON number', () => '42'),
  body('no id', () => JSON.stringify({ event: 'user.created', data: {}, created_at: '2026-01-01T00:00:00Z' })),
  body('no event', () => JSON.stringify({ id: 'event_1', data: {}, created_at: '2026-01-01T00:00:00Z' })),
  body('data not an object', () =>
    JSON.stringify({ id: 'event_1', event: 'user.created', data: 'x', created_at: '2026-01-01T00:00:00Z' }),
  ),
  body('id a number', () =>
    JSON.stringify({ id: 1, event: 'user.created', data: {}, created_at: '2026-01-01T00:00:00Z' }),
  ),
  body('id empty', () =>
    JSON.stringify({ id: '', event: 'user.created', data: {}, created_at: '2026-01-01T00:00:00Z' }),
  ),
  body('no created_at', () => JSON.stringify({ id: 'event_1', event: 'user.created', data: {} })),
  body('not UTF-8 (0xFF 0xFE)', () => new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])),
  body('UTF-16LE encoded JSON', () => Buffer.from(corpusEventBody(), 'utf16le')),
  body('JSON with a trailing comma', () => corpusEventBody().replace(/}$/, ',}')),
  body('two JSON objects back to back', () => `${corpusEventBody()}${corpusEventBody()}`),
  body('NUL bytes', () => new Uint8Array([0x7b, 0x00, 0x00, 0x7d])),
  body('60 000 nested arrays', () => `${'['.repeat(30_000)}${']'.repeat(30_000)}`),

  // Size limit (64 KiB in the corpus servers).
  {
    name: 'size: one byte over the limit, unsigned',
    request: () => ({ headers: [JSON_CT], body: 'x'.repeat(LIMIT + 1) }),
    expect: { status: 413, code: 'payload_too_large' },
  },
  {
    name: 'size: over the limit with a valid signature',
    request: () => signed(JSON.stringify({ ...JSON.parse(corpusEventBody()), pad: 'x'.repeat(LIMIT) })),
    expect: { status: 413, code: 'payload_too_large' },
  },
  {
    name: 'size: chunked, no Content-Length, over the limit',
    request: () => ({
      headers: [JSON_CT],
      chunks: { parts: Array.from({ length: 5 }, () => 'y'.repeat(LIMIT / 4)), delayMs: 0, finish: true },
    }),
    expect: { status: 413, code: 'payload_too_large' },
  },
  {
    name: 'size: a huge Content-Length, few bytes sent',
    request: () => ({ headers: [JSON_CT, ['Content-Length', '1000000000']], rawTail: enc.encode('{}') }),
    expect: { status: 413, code: 'payload_too_large' },
  },
  {
    name: 'size: exactly the limit, unsigned (not too large: refused for the signature)',
    request: () => ({ headers: [JSON_CT], body: 'x'.repeat(LIMIT) }),
    expect: { status: 401, code: 'missing_signature' },
  },

  // Slow and stalled bodies.
  {
    name: 'slow: chunked in 5 slow parts, unsigned',
    request: () => ({
      headers: [JSON_CT],
      chunks: { parts: ['{"id":', '"e",', '"event":', '"x"', '}'], delayMs: 40, finish: true },
    }),
    expect: { status: 401, code: 'missing_signature' },
  },
  {
    name: 'slow: chunked in slow parts, wrong signature',
    request: () => {
      const b = corpusEventBody();
      return {
        headers: [JSON_CT, ['WorkOS-Signature', `t=${now()}, v1=${hex64()}`]],
        chunks: { parts: [b.slice(0, 50), b.slice(50)], delayMs: 60, finish: true },
      };
    },
    expect: { status: 401, code: 'signature_mismatch' },
  },
  {
    name: 'slow: chunked, validly signed non-JSON',
    request: () => ({
      headers: [JSON_CT, ['WorkOS-Signature', corpusSign('not json')]],
      chunks: { parts: ['not', ' json'], delayMs: 50, finish: true },
    }),
    expect: { status: 400, code: 'invalid_payload' },
  },
  {
    name: 'stall: chunked body that never finishes',
    request: () => ({
      headers: [JSON_CT, ['WorkOS-Signature', `t=${now()}, v1=${hex64()}`]],
      chunks: { parts: ['{"id":'], delayMs: 0, finish: false },
    }),
    expect: { status: 408, code: 'body_timeout' },
  },
  {
    name: 'stall: Content-Length larger than the bytes sent',
    request: () => ({ headers: [JSON_CT, ['Content-Length', '500']], rawTail: enc.encode('{"id":"e"') }),
    expect: { status: 408, code: 'body_timeout' },
  },

  // Content types: JSON only (a missing header is accepted).
  contentType('text/plain'),
  contentType('application/x-www-form-urlencoded'),
  contentType('multipart/form-data; boundary=x'),
  contentType('application/xml'),
  contentType('!!!'),
  contentType(''),
  {
    name: 'content-type: application/json with a charset, unsigned',
    request: () => ({ headers: [['Content-Type', 'application/json; charset=utf-8']], body: corpusEventBody() }),
    expect: { status: 401, code: 'missing_signature' },
  },
  {
    name: 'content-type: absent, unsigned',
    request: () => ({ headers: [], body: corpusEventBody() }),
    expect: { status: 401, code: 'missing_signature' },
  },

  // Broken HTTP framing: refused by the server's HTTP parser; the server must stay up.
  {
    name: 'http: two different Content-Length headers',
    request: () => ({
      headers: [JSON_CT, ['Content-Length', '2'], ['Content-Length', '3']],
      rawTail: enc.encode('{}'),
    }),
    expect: { status: 400, code: null },
    layer: 'http',
  },
  {
    name: 'http: Content-Length not a number',
    request: () => ({ headers: [JSON_CT, ['Content-Length', 'abc']], rawTail: enc.encode('{}') }),
    expect: { status: 400, code: null },
    layer: 'http',
  },
  {
    name: 'http: Content-Length with Transfer-Encoding: chunked',
    request: () => ({
      headers: [JSON_CT, ['Content-Length', '2'], ['Transfer-Encoding', 'chunked']],
      rawTail: enc.encode('2\r\n{}\r\n0\r\n\r\n'),
    }),
    expect: { status: 400, code: null },
    layer: 'http',
  },
  {
    name: 'http: NUL byte in a header value',
    request: () => ({ headers: [JSON_CT, ['WorkOS-Signature', Buffer.from('t=1\x00, v1=2', 'latin1')]], body: '{}' }),
    expect: { status: 400, code: null },
    layer: 'http',
  },
];

/** The answer to a raw request. `code` is the JSON body's `code`, or null when the body is not the handler's JSON. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  code: string | null;
}

function toBytes(v: string | Uint8Array | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
}

/** Writes `req` to `127.0.0.1:port` byte for byte (`Connection: close`) and parses the response. */
export function sendRaw(port: number, req: RawRequest, path = CORPUS_PATH, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const timers: NodeJS.Timeout[] = [];
    const fail = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(fail);
      for (const t of timers) clearTimeout(t);
      const parsed = parseResponse(Buffer.concat(received));
      if (parsed) resolve(parsed);
      else
        reject(
          new Error(`incomplete response: ${JSON.stringify(Buffer.concat(received).toString('latin1').slice(0, 200))}`),
        );
    };
    socket.on('data', (d) => {
      received.push(d);
      // Stalled requests keep the socket open: stop as soon as a whole response is here.
      if (parseResponse(Buffer.concat(received))) socket.destroy();
    });
    socket.on('close', finish);
    socket.on('error', () => {
      // EPIPE/ECONNRESET after the server answered and closed: the response (if any) is judged in `close`.
    });
    const head: Buffer[] = [
      toBytes(`${req.method ?? 'POST'} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`),
    ];
    const hasLength = req.headers.some(([k]) => k.toLowerCase() === 'content-length');
    for (const [k, v] of req.headers) head.push(toBytes(`${k}: `), toBytes(v), toBytes('\r\n'));
    if (req.chunks) head.push(toBytes('Transfer-Encoding: chunked\r\n'));
    else if (req.body !== undefined && !hasLength)
      head.push(toBytes(`Content-Length: ${toBytes(req.body).byteLength}\r\n`));
    head.push(toBytes('\r\n'));
    socket.write(Buffer.concat(head));
    if (req.rawTail) socket.write(req.rawTail);
    else if (req.body !== undefined && !req.chunks) socket.write(toBytes(req.body));
    if (req.chunks) {
      const { parts, delayMs, finish: end } = req.chunks;
      parts.forEach((part, i) => {
        timers.push(
          setTimeout(
            () => {
              const bytes = toBytes(part);
              if (!socket.destroyed)
                socket.write(Buffer.concat([toBytes(`${bytes.byteLength.toString(16)}\r\n`), bytes, toBytes('\r\n')]));
              if (end && i === parts.length - 1 && !socket.destroyed) socket.write('0\r\n\r\n');
            },
            delayMs * (i + 1),
          ),
        );
      });
    }
  });
}

function parseResponse(buf: Buffer): RawResponse | undefined {
  const split = buf.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const [statusLine, ...lines] = buf.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let rest = buf.subarray(split + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    const out: Buffer[] = [];
    for (;;) {
      const eol = rest.indexOf('\r\n');
      if (eol < 0) return undefined;
      const size = Number.parseInt(rest.subarray(0, eol).toString(), 16);
      if (size === 0) break;
      if (rest.byteLength < eol + 2 + size) return undefined;
      out.push(rest.subarray(eol + 2, eol + 2 + size));
      rest = rest.subarray(eol + 2 + size + 2);
    }
    rest = Buffer.concat(out);
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.byteLength < length) return undefined;
    rest = rest.subarray(0, length);
  }
  const body = rest.toString('utf8');
  let code: string | null = null;
  try {
    const parsed = JSON.parse(body) as { code?: unknown; status?: unknown };
    if (parsed.status === 'error' && typeof parsed.code === 'string') code = parsed.code;
  } catch {
    code = null;
  }
  return { status, headers, body, code };
}

/** A corpus handler: the corpus options, a store that records every call, a listener that counts runs. */
export function createCorpusHandler(extra: WorkOSWebhookHandlerOptions = {}) {
  const calls: string[] = [];
  const inner = new MemoryIdempotencyStore();
  const store: IdempotencyStore = {
    claim: (key, opts) => {
      calls.push(`claim ${key}`);
      return inner.claim(key, opts);
    },
    complete: (key, token, opts) => {
      calls.push(`complete ${key}`);
      return inner.complete(key, token, opts);
    },
    release: (key, token) => {
      calls.push(`release ${key}`);
      return inner.release(key, token);
    },
  };
  const runs: string[] = [];
  const webhooks = createWorkOSWebhookHandler({ secret: CORPUS_SECRET, store, ...HOSTILE_CORPUS_OPTIONS, ...extra });
  webhooks.onAny((event) => {
    runs.push(event.id);
  });
  return { webhooks, storeCalls: calls, listenerRuns: runs };
}

/** A running server for the corpus: its port and how to stop it. */
export interface CorpusServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Registers the corpus as vitest cases against a server built by `start(webhooks)`: each case gets its status and
 * code, then no listener ran, the store saw no call, and a valid delivery still succeeds (the server stayed up).
 */
export function describeHostileCorpus(
  label: string,
  start: (webhooks: WorkOSWebhookHandler) => Promise<CorpusServer>,
  opts: { include?: (c: HostileCase) => boolean } = {},
): void {
  describe(`hostile corpus: ${label}`, () => {
    const corpus = createCorpusHandler();
    let server: CorpusServer;
    beforeAll(async () => {
      server = await start(corpus.webhooks);
    });
    afterAll(async () => {
      await server?.close();
    });

    it(`has at least 60 cases (${HOSTILE_CORPUS.length})`, () => {
      expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(60);
      expect(new Set(HOSTILE_CORPUS.map((c) => c.name)).size).toBe(HOSTILE_CORPUS.length);
    });

    for (const c of HOSTILE_CORPUS.filter(opts.include ?? (() => true))) {
      it(`${c.name} → ${c.expect.status} ${c.expect.code ?? '(HTTP parser)'}`, async () => {
        const before = { runs: corpus.listenerRuns.length, calls: corpus.storeCalls.length };
        const res = await sendRaw(server.port, c.request());
        expect({ status: res.status, code: res.code }).toEqual(c.expect);
        expect(res.body).not.toContain(CORPUS_SECRET);
        expect(corpus.listenerRuns.slice(before.runs)).toEqual([]);
        expect(corpus.storeCalls.slice(before.calls)).toEqual([]);
      });
    }

    it('the server is still up and a valid delivery succeeds after the whole corpus', async () => {
      const body = corpusEventBody();
      const res = await sendRaw(server.port, { headers: [JSON_CT, ['WorkOS-Signature', corpusSign(body)]], body });
      expect([res.status, res.body]).toEqual([200, '{"status":"processed"}']);
      expect(corpus.listenerRuns).toHaveLength(1);
    });
  });
}
