import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkOSWebhookError } from '../../src/verify/errors.js';
import { MAX_SIGNATURES, parseSignatureHeader } from '../../src/verify/header.js';
import { providers } from './fixtures.js';

const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ws = fc.constantFrom('', ' ', '  ', '\t', ' \t ');

/** A well-formed header: t and 1–8 v1 in any order, random whitespace, unknown keys sprinkled in. */
const wellFormed = fc
  .record({
    t: fc.integer({ min: 0, max: 9_000_000_000_000 }),
    sigs: fc.array(hex64, { minLength: 1, maxLength: MAX_SIGNATURES }),
    unknown: fc.array(
      fc.tuple(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((k) => k !== 't' && k !== 'v1'),
        fc.string({ maxLength: 20 }).filter((s) => !s.includes(',')),
      ),
      { maxLength: 3 },
    ),
    seed: fc.integer(),
    pads: fc.array(fc.tuple(ws, ws, ws, ws), { minLength: 12, maxLength: 12 }),
  })
  .map(({ t, sigs, unknown, seed, pads }) => {
    const parts: [string, string][] = [
      ['t', String(t)],
      ...sigs.map((s): [string, string] => ['v1', toHex(s)]),
      ...unknown,
    ];
    // Deterministic shuffle from the seed, so shrinking stays meaningful.
    let x = seed;
    for (let i = parts.length - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) | 0;
      const j = Math.abs(x) % (i + 1);
      [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    }
    const text = parts
      .map(([k, v], i) => {
        const [a, b, c, d] = pads[i % pads.length]!;
        return `${a}${k}${b}=${c}${v}${d}`;
      })
      .join(',');
    const inOrder = parts.filter(([k]) => k === 'v1').map(([, v]) => Array.from(Buffer.from(v, 'hex')));
    return { text, t, sigs: inOrder };
  });

function onlyWorkOSErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkOSWebhookError);
    expect(['missing_signature', 'malformed_signature']).toContain((err as WorkOSWebhookError).code);
  }
}

describe('parseSignatureHeader', () => {
  it('parses the canonical WorkOS format', () => {
    const sig = 'db0e42cd65bc8a54729954f8a95ba881ed15a3337d4dde1522f372600710f48f';
    const parsed = parseSignatureHeader(`t=1700000000000, v1=${sig}`);
    expect(parsed.timestamp).toBe(1_700_000_000_000);
    expect(parsed.timestampText).toBe('1700000000000');
    expect(parsed.signatures.map(toHex)).toEqual([sig]);
  });

  it('property: any well-formed header parses by key to its t and v1 values', () => {
    fc.assert(
      fc.property(wellFormed, ({ text, t, sigs }) => {
        const parsed = parseSignatureHeader(text);
        expect(parsed.timestamp).toBe(t);
        expect(parsed.signatures.map((s) => Array.from(s))).toEqual(sigs);
      }),
      { numRuns: 1000 },
    );
  });

  it('fuzz: arbitrary strings throw nothing but WorkOSWebhookError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) =>
        onlyWorkOSErrors(() => parseSignatureHeader(s)),
      ),
      {
        numRuns: 3000,
      },
    );
  });

  it('fuzz: near-valid headers (random tokens from the header alphabet)', () => {
    const token = fc.oneof(
      fc.constantFrom('t', 'v1', 'v0', '=', ',', ' ', '\t', ', ', 't=', 'v1=', '-', '.', 'e', 'NaN', 'Infinity'),
      fc.integer({ min: 0, max: 2 ** 53 }).map(String),
      hex64.map(toHex),
      hex64.map((b) => toHex(b).slice(1)),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) =>
        onlyWorkOSErrors(() => parseSignatureHeader(tokens.join(''))),
      ),
      { numRuns: 3000 },
    );
  });

  it('an array holding a value that is not a string is malformed, not a TypeError from joining it', () => {
    // fc.anything() below finds these only now and then (keys such as `toString`), so pin them here.
    for (const value of [[{ toString: 1 }], [Object.create(null)], [Symbol('x')], ['t=1', [{ toString: null }]]]) {
      let error: unknown;
      try {
        parseSignatureHeader(value as unknown as string[]);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(WorkOSWebhookError);
      expect((error as WorkOSWebhookError).code).toBe('malformed_signature');
    }
  });

  it('fuzz: any value type (string[], numbers, objects) throws nothing but WorkOSWebhookError', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => onlyWorkOSErrors(() => parseSignatureHeader(value as string))),
      { numRuns: 1000 },
    );
  });
});

describe.each(providers)('full verification fuzz with %s', (_name, v) => {
  it('a fuzzed header or body never escapes as anything but WorkOSWebhookError', async () => {
    const now = 1_700_000_000_000;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.string({ maxLength: 80 }), { maxLength: 3 })),
        fc.oneof(fc.string(), fc.uint8Array()),
        async (signature, payload) => {
          try {
            await v.verifyWebhook({ payload, signature, secret: 'whsec_x', now: () => now });
          } catch (err) {
            expect(err).toBeInstanceOf(WorkOSWebhookError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: sign → verify round-trips for any bytes, unicode and secrets; any one-byte change fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 })),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 9_999_999_999_999 }),
        fc.nat(),
        async (payload, secret, t, flipAt) => {
          const signature = await v.sign({ payload, secret, timestamp: t });
          // Independent reference: node:crypto over the exact bytes "<t>." + body.
          const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
          const expected = createHmac('sha256', secret)
            .update(Buffer.concat([Buffer.from(`${t}.`), bytes]))
            .digest('hex');
          expect(signature).toBe(`t=${t}, v1=${expected}`);
          // t is any millisecond value here (also below 10^11, which 'auto' would read as seconds).
          const input = { payload, signature, secret: ['other', secret], now: () => t, timestampUnit: 'ms' as const };
          expect(await v.verifySignature(input)).toEqual({
            timestamp: t,
            secretIndex: secret === 'other' ? 0 : 1,
          });
          if (bytes.length > 0) {
            const tampered = Buffer.from(bytes);
            const i = flipAt % tampered.length;
            tampered[i] = tampered[i]! ^ 0x01;
            const err = await v
              .verifySignature({ payload: tampered, signature, secret, now: () => t, timestampUnit: 'ms' })
              .catch((e) => e);
            expect((err as WorkOSWebhookError).code).toBe('signature_mismatch');
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
