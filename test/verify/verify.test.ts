import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WorkOSWebhookError, type WorkOSWebhookErrorCode } from '../../src/verify/errors.js';
import type { VerifyInput } from '../../src/verify/signature.js';
import { caught, dsyncUserCreated, eventBody, NOW, providers, SECRET, type VerifierApi } from './fixtures.js';

const STATUS: Partial<Record<WorkOSWebhookErrorCode, number>> = {
  missing_signature: 401,
  malformed_signature: 401,
  timestamp_too_old: 401,
  timestamp_too_new: 401,
  signature_mismatch: 401,
  invalid_payload: 400,
  payload_not_raw: 400,
};

function hmacHex(secret: string, message: string | Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** A header signed independently of the code under test. */
function header(t: number | string, body: string | Buffer = eventBody, secret = SECRET): string {
  const msg = typeof body === 'string' ? `${t}.${body}` : Buffer.concat([Buffer.from(`${t}.`), body]);
  return `t=${t}, v1=${hmacHex(secret, msg)}`;
}

const base = (over: Partial<VerifyInput> = {}): VerifyInput => ({
  payload: eventBody,
  signature: header(NOW),
  secret: SECRET,
  now: () => NOW,
  ...over,
});

describe.each(providers)('verification with %s', (name, v: VerifierApi) => {
  const hasSync = name === 'node:crypto';

  /** Runs the async check and, where the provider has one, the sync check; both must agree. */
  async function accepts(input: VerifyInput): Promise<{ timestamp: number; secretIndex: number }> {
    const result = await v.verifySignature(input);
    if (hasSync) expect(v.verifySignatureSync(input)).toEqual(result);
    else
      expect(((await caught(() => v.verifySignatureSync(input))) as WorkOSWebhookError).code).toBe('sync_unavailable');
    return result;
  }

  /** Both paths must reject with `code`, the right status, and a message without the secret or the body. */
  async function rejects(input: VerifyInput, code: WorkOSWebhookErrorCode, message?: RegExp): Promise<string> {
    const errors = [await caught(() => v.verifySignature(input))];
    if (hasSync) errors.push(await caught(() => v.verifySignatureSync(input)));
    for (const err of errors) {
      expect(err).toBeInstanceOf(WorkOSWebhookError);
      const e = err as WorkOSWebhookError;
      expect(e.code).toBe(code);
      expect(e.status).toBe(STATUS[code]);
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain('marcelina');
      if (message) expect(e.message).toMatch(message);
    }
    return (errors[0] as Error).message;
  }

  describe('accepts', () => {
    it('the fixed vector of workos-facts §1.1', async () => {
      const body = '{"id":"event_01","event":"user.created","data":{},"created_at":"2024-01-01T00:00:00.000Z"}';
      const signature = 't=1700000000000, v1=db0e42cd65bc8a54729954f8a95ba881ed15a3337d4dde1522f372600710f48f';
      expect(await v.sign({ payload: body, secret: 'whsec_test', timestamp: 1_700_000_000_000 })).toBe(signature);
      expect(await accepts({ payload: body, signature, secret: 'whsec_test', now: () => 1_700_000_000_000 })).toEqual({
        timestamp: 1_700_000_000_000,
        secretIndex: 0,
      });
    });

    it('the SDK crypto-provider vectors (empty and emoji messages)', async () => {
      expect(await v.provider.sign('test_secret', '', '')).toBe(
        'f7f9bd47fb987337b5796fdc1fdb9ba221d0d5396814bfcaf9521f43fd8927fd',
      );
      expect(await v.provider.sign('test_secret', '', '\ud83d\ude00')).toBe(
        '837da296d05c4fe31f61d5d7ead035099d9585a5bcde87de952012a78f0b0c43',
      );
      expect(await v.provider.sign('test_secret', '', new TextEncoder().encode('\ud83d\ude00'))).toBe(
        '837da296d05c4fe31f61d5d7ead035099d9585a5bcde87de952012a78f0b0c43',
      );
    });

    it('the provider contract: match/matchSync return the first matching secret index, or -1', async () => {
      const digest = Uint8Array.from(Buffer.from(hmacHex('b', `${NOW}.${eventBody}`), 'hex'));
      const other = Uint8Array.from(Buffer.from(hmacHex('c', `${NOW}.${eventBody}`), 'hex'));
      const prefix = `${NOW}.`;
      expect(await v.provider.match(['a', 'b', 'c'], prefix, eventBody, [other, digest])).toBe(1);
      expect(await v.provider.match(['a', 'b'], prefix, Buffer.from(eventBody), [digest])).toBe(1);
      expect(await v.provider.match(['a', 'd'], prefix, eventBody, [other, digest])).toBe(-1);
      if (hasSync) {
        expect(v.provider.matchSync?.(['a', 'b', 'c'], prefix, eventBody, [other, digest])).toBe(1);
        expect(v.provider.matchSync?.(['a'], prefix, eventBody, [digest])).toBe(-1);
      } else {
        expect(v.provider.matchSync).toBeUndefined();
      }
    });

    it('string, Buffer, Uint8Array (offset view), ArrayBuffer bodies', async () => {
      const bytes = Buffer.from(eventBody);
      const padded = Buffer.concat([Buffer.from('xxxx'), bytes, Buffer.from('yy')]);
      const view = new Uint8Array(padded.buffer, padded.byteOffset + 4, bytes.length);
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
      for (const payload of [eventBody, bytes, new Uint8Array(bytes), view, ab]) {
        expect(await accepts(base({ payload }))).toEqual({ timestamp: NOW, secretIndex: 0 });
      }
    });

    it('signs the exact bytes: invalid UTF-8 verifies as bytes, not after a decode/re-encode', async () => {
      const bytes = Buffer.from([...Buffer.from('{"id":"e","x":"'), 0xff, 0xfe, ...Buffer.from('"}')]);
      const signature = header(NOW, bytes);
      await accepts(base({ payload: bytes, signature }));
      await rejects(base({ payload: bytes.toString('utf8'), signature }), 'signature_mismatch');
    });

    it('a BOM-prefixed body is verified with its BOM', async () => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(eventBody)]);
      await accepts(base({ payload: bytes, signature: header(NOW, bytes) }));
      await rejects(base({ payload: bytes, signature: header(NOW) }), 'signature_mismatch');
      // Handed over as bytes or as a string (BOM as U+FEFF), the same delivery verifies and parses to the same event.
      const text = `\ufeff${eventBody}`;
      const fromBytes = await v.verifyWebhook(base({ payload: bytes, signature: header(NOW, bytes) }));
      const fromText = await v.verifyWebhook(base({ payload: text, signature: header(NOW, text) }));
      expect(fromText).toEqual(fromBytes);
      expect((fromText as { id: string }).id).toBe(JSON.parse(eventBody).id);
    });

    it('headers by key: reordered, no space, extra whitespace, unknown keys, trailing comma', async () => {
      const sig = hmacHex(SECRET, `${NOW}.${eventBody}`);
      for (const signature of [
        `v1=${sig}, t=${NOW}`,
        `t=${NOW},v1=${sig}`,
        `  t = ${NOW} ,\tv1 =  ${sig}  `,
        `v0=abc, t=${NOW}, scheme=hmac, v1=${sig}, v2=${'f'.repeat(64)}`,
        `t=${NOW}, v1=${sig},`,
        `t=${NOW}, v1=${sig.toUpperCase()}`,
      ]) {
        expect(await accepts(base({ signature }))).toEqual({ timestamp: NOW, secretIndex: 0 });
      }
    });

    it('several v1 values: any one may match', async () => {
      const sig = hmacHex(SECRET, `${NOW}.${eventBody}`);
      const other = hmacHex('whsec_other', `${NOW}.${eventBody}`);
      await accepts(base({ signature: `t=${NOW}, v1=${other}, v1=${sig}` }));
      await accepts(base({ signature: `t=${NOW}, v1=${sig}, v1=${other}` }));
      await rejects(base({ signature: `t=${NOW}, v1=${other}, v1=${other}` }), 'signature_mismatch');
    });

    it("Node's string[] header type", async () => {
      await accepts(base({ signature: [header(NOW)] }));
      const sig = hmacHex(SECRET, `${NOW}.${eventBody}`);
      await accepts(base({ signature: [`t=${NOW}`, `v1=${sig}`] }));
    });

    it('the signed timestamp text, not a re-formatted number (leading zeros)', async () => {
      const t = `0${NOW}`;
      expect(await accepts(base({ signature: header(t) }))).toEqual({ timestamp: NOW, secretIndex: 0 });
      await rejects(base({ signature: header(t).replace(`t=${t}`, `t=${NOW}`) }), 'signature_mismatch');
    });
  });

  describe('rotation', () => {
    it('returns the index of the secret that matched', async () => {
      expect((await accepts(base({ secret: [SECRET] }))).secretIndex).toBe(0);
      expect((await accepts(base({ secret: ['whsec_new', SECRET] }))).secretIndex).toBe(1);
      expect((await accepts(base({ secret: ['a', 'b', SECRET, 'c'] }))).secretIndex).toBe(2);
      expect((await accepts(base({ secret: [SECRET, SECRET] }))).secretIndex).toBe(0);
    });

    it('several secrets × several signatures', async () => {
      const signature = `t=${NOW}, v1=${hmacHex('whsec_b', `${NOW}.${eventBody}`)}, v1=${hmacHex('whsec_c', `${NOW}.${eventBody}`)}`;
      expect((await accepts(base({ signature, secret: ['whsec_a', 'whsec_c', 'whsec_b'] }))).secretIndex).toBe(1);
      const msg = await rejects(base({ signature, secret: ['whsec_a', 'whsec_d'] }), 'signature_mismatch');
      expect(msg).toContain('2 configured secrets');
    });
  });

  describe('tolerance (two-sided, milliseconds)', () => {
    it('defaults to 300 000 ms on both sides, inclusive', async () => {
      await accepts(base({ now: () => NOW + 300_000 }));
      await accepts(base({ now: () => NOW - 300_000 }));
      await rejects(
        base({ now: () => NOW + 300_001 }),
        'timestamp_too_old',
        /300\.0 s in the past.*300\.0 s tolerance/,
      );
      await rejects(base({ now: () => NOW - 300_001 }), 'timestamp_too_new', /300\.0 s in the future/);
    });

    it('a custom toleranceMs applies to both sides and the skew is in seconds', async () => {
      await accepts(base({ toleranceMs: 1_000, now: () => NOW + 1_000 }));
      await rejects(base({ toleranceMs: 1_000, now: () => NOW + 1_500 }), 'timestamp_too_old', /1\.500 s in the past/);
      await rejects(
        base({ toleranceMs: 1_000, now: () => NOW - 2_000 }),
        'timestamp_too_new',
        /2\.000 s in the future/,
      );
      await accepts(base({ toleranceMs: 0, now: () => NOW }));
      await rejects(base({ toleranceMs: 0, now: () => NOW + 1 }), 'timestamp_too_old');
    });

    it('Infinity disables the window (replays)', async () => {
      await accepts(base({ toleranceMs: Number.POSITIVE_INFINITY, now: () => NOW + 365 * 86_400_000 }));
      await accepts(base({ toleranceMs: Number.POSITIVE_INFINITY, now: () => 0 }));
    });

    it('uses Date.now() without a custom clock', async () => {
      const t = Date.now();
      await accepts(base({ signature: header(t), now: undefined }));
      await rejects(base({ signature: header(t - 600_000), now: undefined }), 'timestamp_too_old');
      await rejects(base({ signature: header(t + 600_000), now: undefined }), 'timestamp_too_new');
    });

    it('checks the window before the HMAC (a stale delivery is stale even when forged)', async () => {
      const forged = `t=${NOW - 3_600_000}, v1=${'0'.repeat(64)}`;
      await rejects(base({ signature: forged }), 'timestamp_too_old');
    });

    it('says so when t looks like seconds (in ms mode) or microseconds', async () => {
      const seconds = Math.floor(NOW / 1000);
      await rejects(
        base({ signature: header(seconds), timestampUnit: 'ms' }),
        'timestamp_too_old',
        /looks like seconds.*'auto' accepts both/,
      );
      await rejects(base({ signature: header(NOW * 1000) }), 'timestamp_too_new', /looks like microseconds/);
      const plain = await rejects(base({ now: () => NOW + 400_000 }), 'timestamp_too_old');
      expect(plain).not.toMatch(/looks like/);
    });
  });

  describe('one test per failure mode', () => {
    it('missing_signature: undefined, null, empty, blank, empty array', async () => {
      for (const signature of [undefined, null, '', '   ', []]) {
        await rejects(base({ signature }), 'missing_signature');
      }
    });

    it('malformed_signature: no t', async () => {
      await rejects(base({ signature: `v1=${'a'.repeat(64)}` }), 'malformed_signature', /no timestamp/);
    });

    it('malformed_signature: duplicate t', async () => {
      await rejects(
        base({ signature: `t=${NOW}, t=${NOW}, v1=${'a'.repeat(64)}` }),
        'malformed_signature',
        /more than once/,
      );
    });

    it('malformed_signature: non-integer t (NaN, decimal, sign, exponent, empty, too long)', async () => {
      for (const t of ['abc', 'NaN', `${NOW}.5`, `-${NOW}`, `+${NOW}`, '1.7e12', '', '12345678901234567', '0x1f']) {
        await rejects(base({ signature: `t=${t}, v1=${'a'.repeat(64)}` }), 'malformed_signature', /not an integer/);
      }
    });

    it('malformed_signature: v1 not 64 hex characters', async () => {
      for (const sig of ['', 'a'.repeat(63), 'a'.repeat(65), `${'a'.repeat(63)}g`, `${'a'.repeat(62)} a`]) {
        await rejects(base({ signature: `t=${NOW}, v1=${sig}` }), 'malformed_signature', /64 hexadecimal/);
      }
    });

    it('malformed_signature: no v1', async () => {
      await rejects(base({ signature: `t=${NOW}` }), 'malformed_signature', /no "v1"/);
      await rejects(base({ signature: `t=${NOW}, v0=${'a'.repeat(64)}` }), 'malformed_signature', /no "v1"/);
    });

    it('malformed_signature: a part that is not key=value', async () => {
      await rejects(base({ signature: `t=${NOW} v1=${'a'.repeat(64)}` }), 'malformed_signature');
      await rejects(base({ signature: `garbage, t=${NOW}, v1=${'a'.repeat(64)}` }), 'malformed_signature', /key=value/);
    });

    it('malformed_signature: more v1 values than a delivery ever has', async () => {
      const many = Array.from({ length: 9 }, () => `v1=${'a'.repeat(64)}`).join(', ');
      await rejects(base({ signature: `t=${NOW}, ${many}` }), 'malformed_signature', /more than 8/);
    });

    it('timestamp_too_old / timestamp_too_new', async () => {
      await rejects(base({ now: () => NOW + 3_600_000 }), 'timestamp_too_old', /3600\.0 s in the past/);
      await rejects(base({ now: () => NOW - 3_600_000 }), 'timestamp_too_new', /3600\.0 s in the future/);
    });

    it('signature_mismatch: tampered body (one character)', async () => {
      await rejects(base({ payload: eventBody.replace('Marcelina', 'Marcelino') }), 'signature_mismatch');
    });

    it('signature_mismatch: wrong secret', async () => {
      await rejects(base({ secret: 'whsec_wrong' }), 'signature_mismatch', /wrong secret/);
    });

    it('signature_mismatch: timestamp changed in the header', async () => {
      await rejects(base({ signature: header(NOW).replace(`t=${NOW}`, `t=${NOW + 1}`) }), 'signature_mismatch');
    });

    it('signature_mismatch: re-serialized body (pretty-printed)', async () => {
      await rejects(base({ payload: JSON.stringify(dsyncUserCreated, null, 2) }), 'signature_mismatch');
    });

    it('signature_mismatch hints at whitespace around a secret, without revealing it', async () => {
      const msg = await rejects(base({ secret: `${SECRET}\n` }), 'signature_mismatch', /whitespace/);
      expect(msg).not.toContain(SECRET);
    });

    it('payload_not_raw: parsed object, array, undefined, null, number, Node stream, web stream', async () => {
      const values: unknown[] = [
        dsyncUserCreated,
        [dsyncUserCreated],
        undefined,
        null,
        42,
        Readable.from([eventBody]),
        new ReadableStream(),
      ];
      for (const payload of values) {
        const msg = await rejects(base({ payload: payload as string }), 'payload_not_raw');
        expect(msg).toMatch(/express\.raw\(\{ type: "application\/json" \}\)/);
        expect(msg).toMatch(/express\.json\(\)/);
        expect(msg).toMatch(/Fastify.*parseAs: "buffer"/);
        expect(msg).toMatch(/await request\.text\(\)/);
        expect(msg).toMatch(/bodyParser: false/);
      }
    });

    it('payload_not_raw comes before header checks (the most useful diagnostic)', async () => {
      await rejects(base({ payload: dsyncUserCreated as unknown as string, signature: undefined }), 'payload_not_raw');
    });

    it('configuration errors are TypeErrors, not request errors', async () => {
      const bad: Partial<VerifyInput>[] = [
        { secret: '' },
        { secret: [] },
        { secret: ['ok', ''] },
        { secret: undefined as unknown as string },
        { toleranceMs: -1 },
        { toleranceMs: Number.NaN },
        { now: () => Number.NaN },
      ];
      for (const over of bad) {
        expect(await caught(() => v.verifySignature(base(over)))).toBeInstanceOf(TypeError);
      }
    });
  });

  describe('verify + parse', () => {
    async function parses(input: VerifyInput): Promise<unknown> {
      const event = await v.verifyWebhook(input);
      if (hasSync) expect(v.verifyWebhookSync(input)).toEqual(event);
      else
        expect(((await caught(() => v.verifyWebhookSync(input))) as WorkOSWebhookError).code).toBe('sync_unavailable');
      return event;
    }

    it('returns the event as sent (snake_case, nothing renamed)', async () => {
      expect(await parses(base())).toEqual(dsyncUserCreated);
      expect(await parses(base({ payload: Buffer.from(eventBody) }))).toEqual(dsyncUserCreated);
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(eventBody)]);
      expect(await parses(base({ payload: bom, signature: header(NOW, bom) }))).toEqual(dsyncUserCreated);
    });

    it('invalid_payload: a validly signed body that is not JSON, without quoting it', async () => {
      const body = 'not json at all marcelina';
      const err = (await caught(() =>
        v.verifyWebhook(base({ payload: body, signature: header(NOW, body) })),
      )) as WorkOSWebhookError;
      expect(err.code).toBe('invalid_payload');
      expect(err.status).toBe(400);
      expect(err.message).not.toContain('marcelina');
      expect(err.cause).toBeUndefined();
    });

    it('invalid_payload: JSON that is not an event object', async () => {
      for (const body of ['[1,2]', '"event"', 'null', '{"hello":"world"}']) {
        const err = (await caught(() =>
          v.verifyWebhook(base({ payload: body, signature: header(NOW, body) })),
        )) as WorkOSWebhookError;
        expect(err).toBeInstanceOf(WorkOSWebhookError);
        expect(err.code).toBe('invalid_payload');
      }
    });

    it('never parses before the signature holds', async () => {
      const body = 'not json';
      const err = (await caught(() => v.verifyWebhook(base({ payload: body })))) as WorkOSWebhookError;
      expect(err.code).toBe('signature_mismatch');
    });
  });
});
