/**
 * `timestampUnit`: WorkOS signs `t` in milliseconds, its CLI emulator (`workos/emulate`) in seconds. 'auto' (default)
 * reads a t below 10^11 as seconds; 'ms' and 's' accept one unit. Run against both HMAC implementations, sync and async.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkOSWebhookHandler, signWorkOSWebhook, signWorkOSWebhookAsync } from '../../src/index.js';
import { WorkOSWebhookError, type WorkOSWebhookErrorCode } from '../../src/verify/errors.js';
import { nodeCryptoProvider } from '../../src/verify/node-crypto.js';
import { checkSignatureSync, type VerifyInput } from '../../src/verify/signature.js';
import { caught, eventBody, NOW, providers, SECRET, type VerifierApi } from './fixtures.js';

/** `t=<t>,v1=<hex>` exactly as the emulator's webhook-signer writes it (no space), signed independently. */
function emulatorHeader(t: number | string, body = eventBody, secret = SECRET): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

const S = Math.floor(NOW / 1000); // NOW in whole seconds
const AT = S * 1000; // the instant a seconds header stands for

describe.each(providers)('timestampUnit with %s', (name, v: VerifierApi) => {
  const hasSync = name === 'node:crypto';

  async function accepts(input: VerifyInput): Promise<{ timestamp: number; secretIndex: number }> {
    const result = await v.verifySignature(input);
    if (hasSync) expect(v.verifySignatureSync(input)).toEqual(result);
    return result;
  }

  async function rejects(input: VerifyInput, code: WorkOSWebhookErrorCode, message?: RegExp): Promise<string> {
    const errors = [await caught(() => v.verifySignature(input)), await caught(() => v.verifyWebhook(input))];
    if (hasSync) errors.push(await caught(() => v.verifySignatureSync(input)));
    for (const err of errors) {
      expect(err).toBeInstanceOf(WorkOSWebhookError);
      expect((err as WorkOSWebhookError).code).toBe(code);
      if (message) expect((err as Error).message).toMatch(message);
    }
    return (errors[0] as Error).message;
  }

  it("verifies a seconds header as the emulator sends it, by default and with 's'", async () => {
    const signature = emulatorHeader(S);
    for (const timestampUnit of [undefined, 'auto', 's'] as const) {
      const input = { payload: eventBody, signature, secret: SECRET, now: () => NOW, timestampUnit };
      expect(await accepts(input)).toEqual({ timestamp: AT, secretIndex: 0 });
      const event = (await v.verifyWebhook(input)) as { event: string };
      expect(event.event).toBe('dsync.user.created');
      if (hasSync) expect(v.verifyWebhookSync(input)).toEqual(event);
    }
  });

  it("'ms' refuses a seconds header as too old, with the seconds hint", async () => {
    const message = await rejects(
      { payload: eventBody, signature: emulatorHeader(S), secret: SECRET, now: () => NOW, timestampUnit: 'ms' },
      'timestamp_too_old',
      /looks like seconds \(WorkOS's CLI emulator signs in seconds\).*timestampUnit: 'ms'.*'auto' accepts both/,
    );
    expect(message).not.toContain('read as seconds');
  });

  it("'s' refuses a millisecond header, with the milliseconds hint", async () => {
    await rejects(
      { payload: eventBody, signature: emulatorHeader(NOW), secret: SECRET, now: () => NOW, timestampUnit: 's' },
      'timestamp_too_new',
      /\(t read as seconds\).*looks like milliseconds.*timestampUnit: 's'/,
    );
    // ...which 'auto' and 'ms' accept.
    for (const timestampUnit of ['auto', 'ms'] as const) {
      const input = { payload: eventBody, signature: emulatorHeader(NOW), secret: SECRET, now: () => NOW };
      expect(await accepts({ ...input, timestampUnit })).toEqual({ timestamp: NOW, secretIndex: 0 });
    }
  });

  it('the tolerance stays in real time on both sides with seconds (inclusive)', async () => {
    const base = { payload: eventBody, signature: emulatorHeader(S), secret: SECRET };
    await accepts({ ...base, now: () => AT + 300_000 });
    await accepts({ ...base, now: () => AT - 300_000 });
    await rejects({ ...base, now: () => AT + 300_001 }, 'timestamp_too_old', /\(t read as seconds\) is 300\.0 s in/);
    await rejects({ ...base, now: () => AT - 300_001 }, 'timestamp_too_new', /\(t read as seconds\) is 300\.0 s in/);
    await accepts({ ...base, toleranceMs: 1_000, now: () => AT + 1_000 });
    await rejects({ ...base, toleranceMs: 1_000, now: () => AT + 1_001 }, 'timestamp_too_old', /1\.001 s in the past/);
    await rejects({ ...base, toleranceMs: 1_000, now: () => AT - 1_001 }, 'timestamp_too_new');
    // The window is checked before the HMAC, in seconds too: a stale forged header never reaches it.
    await rejects({ ...base, signature: `t=${S - 3600},v1=${'0'.repeat(64)}`, now: () => NOW }, 'timestamp_too_old');
  });

  it('boundary 10^11: below is seconds, from it on milliseconds', async () => {
    const below = 99_999_999_999;
    const from = 100_000_000_000;
    const anyTime = { payload: eventBody, secret: SECRET, toleranceMs: Number.POSITIVE_INFINITY };
    expect(await accepts({ ...anyTime, signature: emulatorHeader(below) })).toEqual({
      timestamp: below * 1000,
      secretIndex: 0,
    });
    expect(await accepts({ ...anyTime, signature: emulatorHeader(from) })).toEqual({ timestamp: from, secretIndex: 0 });
    const exact = { payload: eventBody, secret: SECRET, toleranceMs: 0 };
    await accepts({ ...exact, signature: emulatorHeader(below), now: () => below * 1000 });
    await rejects({ ...exact, signature: emulatorHeader(below), now: () => below }, 'timestamp_too_new');
    await accepts({ ...exact, signature: emulatorHeader(from), now: () => from });
    await rejects({ ...exact, signature: emulatorHeader(from), now: () => from * 1000 }, 'timestamp_too_old');
    // 'ms' reads the value below the boundary as milliseconds, 's' the one from it as seconds.
    await accepts({ ...exact, signature: emulatorHeader(below), now: () => below, timestampUnit: 'ms' });
    await accepts({ ...exact, signature: emulatorHeader(from), now: () => from * 1000, timestampUnit: 's' });
  });

  it('the HMAC covers t as sent: the signature of a seconds t does not verify with t rewritten in ms', async () => {
    const signature = emulatorHeader(S).replace(`t=${S},`, `t=${AT},`);
    await rejects({ payload: eventBody, signature, secret: SECRET, now: () => NOW }, 'signature_mismatch');
  });

  it('microseconds are still named, in every mode', async () => {
    for (const timestampUnit of [undefined, 'ms', 's'] as const) {
      await rejects(
        { payload: eventBody, signature: emulatorHeader(NOW * 1000), secret: SECRET, now: () => NOW, timestampUnit },
        'timestamp_too_new',
        /looks like microseconds/,
      );
    }
  });

  it('a timestampUnit that is none of the three is a TypeError (a configuration error)', async () => {
    for (const timestampUnit of ['seconds', 'MS', 1000, null]) {
      const input = { payload: eventBody, signature: emulatorHeader(S), secret: SECRET, now: () => NOW, timestampUnit };
      const err = await caught(() => v.verifySignature(input as VerifyInput));
      expect(err).toBeInstanceOf(TypeError);
      expect((err as Error).message).toMatch(/`timestampUnit` must be 'auto', 'ms' or 's'/);
    }
  });

  it("signs in seconds with timestampUnit 's' (floored), as the emulator does", async () => {
    const signature = await v.sign({ payload: eventBody, secret: SECRET, timestamp: NOW, timestampUnit: 's' });
    expect(signature).toBe(emulatorHeader(S).replace(',v1=', ', v1='));
    expect(await accepts({ payload: eventBody, signature, secret: SECRET, now: () => NOW })).toEqual({
      timestamp: AT,
      secretIndex: 0,
    });
  });
});

describe('signWorkOSWebhook timestampUnit', () => {
  it("writes t in ms by default and in whole seconds with 's' (sync and async agree)", async () => {
    expect(signWorkOSWebhook({ payload: '{}', secret: SECRET, timestamp: 1_700_000_000_999 })).toMatch(
      /^t=1700000000999, /,
    );
    const s = signWorkOSWebhook({ payload: '{}', secret: SECRET, timestamp: 1_700_000_000_999, timestampUnit: 's' });
    expect(s).toBe(`t=1700000000, v1=${createHmac('sha256', SECRET).update('1700000000.{}').digest('hex')}`);
    expect(
      await signWorkOSWebhookAsync({ payload: '{}', secret: SECRET, timestamp: 1_700_000_000_999, timestampUnit: 's' }),
    ).toBe(s);
  });

  it("refuses 'auto' and anything else (the signer must pick one unit)", () => {
    for (const timestampUnit of ['auto', 'sec', 1]) {
      expect(() => signWorkOSWebhook({ payload: '{}', secret: SECRET, timestampUnit } as never)).toThrow(
        /`timestampUnit` must be 'ms' or 's'/,
      );
    }
  });
});

describe('property: reading seconds loses nothing', () => {
  it('for any instant and skew, a seconds header and a ms header are accepted exactly within ±tolerance of what they sign', () => {
    fc.assert(
      fc.property(
        // Instants whose seconds value is below 10^11 and whose ms value is not (1973 … year 5138).
        fc.integer({ min: 100_000_000_000, max: 99_999_999_999_999 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: -1_200_000, max: 1_200_000 }),
        fc.constantFrom('s', 'ms') as fc.Arbitrary<'s' | 'ms'>,
        (ms, tolerance, skew, signedIn) => {
          const signature = signWorkOSWebhook({
            payload: eventBody,
            secret: SECRET,
            timestamp: ms,
            timestampUnit: signedIn,
          });
          const signedAt = signedIn === 's' ? Math.floor(ms / 1000) * 1000 : ms;
          const input = {
            payload: eventBody,
            signature,
            secret: SECRET,
            toleranceMs: tolerance,
            now: () => signedAt + skew,
          };
          const outcome = (timestampUnit: 'auto' | 'ms' | 's') => {
            try {
              return checkSignatureSync(nodeCryptoProvider, { ...input, timestampUnit });
            } catch (err) {
              if (err instanceof WorkOSWebhookError) return err.code;
              throw err;
            }
          };
          const expected =
            Math.abs(skew) <= tolerance
              ? { timestamp: signedAt, secretIndex: 0 }
              : skew > 0
                ? 'timestamp_too_old'
                : 'timestamp_too_new';
          // 'auto' and the matching unit see the signed instant; the other unit never accepts it.
          expect(outcome('auto')).toEqual(expected);
          expect(outcome(signedIn)).toEqual(expected);
          expect(outcome(signedIn === 's' ? 'ms' : 's')).toMatch(/^timestamp_too_(old|new)$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('handler default', () => {
  it('createWorkOSWebhookHandler accepts a delivery signed in seconds (the emulator) without configuration', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    const seen: string[] = [];
    webhooks.on('dsync.user.created', (event) => {
      seen.push(event.id);
    });
    const t = Math.floor(Date.now() / 1000);
    const response = await webhooks.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'workos-signature': emulatorHeader(t) },
      rawBody: eventBody,
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([JSON.parse(eventBody).id]);
  });
});
