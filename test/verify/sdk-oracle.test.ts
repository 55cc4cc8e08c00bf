/**
 * The official SDK (@workos-inc/node 11, Node >= 22) as an oracle: headers we sign pass its verifyHeader, headers
 * its computeSignature produces pass ours, and the SDK weaknesses we fix are shown to exist.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkOSWebhookError } from '../../src/verify/errors.js';
import { caught, eventBody, providers, SECRET } from './fixtures.js';

const major = Number(process.versions.node.split('.')[0]);
const supported = major >= 22;
if (!supported) {
  console.warn(
    `[test/verify/sdk-oracle] SKIPPED on Node ${process.version}: @workos-inc/node 11 needs Node >= 22 (runs on the Node 22/24 legs).`,
  );
}

interface SdkWebhooks {
  verifyHeader(o: { payload: unknown; sigHeader: string; secret: string; tolerance?: number }): Promise<boolean>;
  computeSignature(timestamp: unknown, payload: unknown, secret: string): Promise<string>;
  constructEvent(o: { payload: unknown; sigHeader: string; secret: string; tolerance?: number }): Promise<unknown>;
}

let sdk: SdkWebhooks;

/** Payloads as WorkOS may send them: unicode strings, or their UTF-8 bytes (the SDK decodes bytes as UTF-8). */
const payloadArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
  fc.json({ maxDepth: 3 }),
);
const secretArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 50 });

describe.skipIf(!supported)('@workos-inc/node 11 as oracle', () => {
  beforeAll(async () => {
    const { WorkOS } = (await import('@workos-inc/node')) as unknown as {
      WorkOS: new (key: string) => { webhooks: SdkWebhooks };
    };
    sdk = new WorkOS('sk_test_oracle').webhooks;
  });

  describe.each(providers)('with %s', (_name, v) => {
    it('≥ 2000 cases: our signWorkOSWebhook header passes the SDK verifyHeader', async () => {
      await fc.assert(
        fc.asyncProperty(
          payloadArb,
          secretArb,
          fc.integer({ min: -170_000, max: 600_000 }),
          async (payload, secret, offset) => {
            const timestamp = Date.now() + offset;
            const sigHeader = await v.sign({ payload, secret, timestamp });
            expect(await sdk.verifyHeader({ payload, sigHeader, secret })).toBe(true);
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('≥ 2000 cases: a header from the SDK computeSignature passes ours', async () => {
      await fc.assert(
        fc.asyncProperty(
          payloadArb,
          secretArb,
          fc.integer({ min: 0, max: 9_999_999_999_999 }),
          async (payload, secret, timestamp) => {
            const sigHeader = `t=${timestamp}, v1=${await sdk.computeSignature(timestamp, payload, secret)}`;
            // The SDK's t is milliseconds, from 0: pin the unit ('auto' would read t < 10^11 as the emulator's seconds).
            expect(
              await v.verifySignature({
                payload,
                signature: sigHeader,
                secret,
                now: () => timestamp,
                timestampUnit: 'ms',
              }),
            ).toEqual({
              timestamp,
              secretIndex: 0,
            });
          },
        ),
        { numRuns: 2000 },
      );
    });
  });

  describe('SDK weaknesses we fix', () => {
    const v = providers[0]![1];

    it('future timestamps: the SDK accepts t one hour (or 1000×) ahead; we reject timestamp_too_new', async () => {
      for (const t of [Date.now() + 3_600_000, Date.now() * 1000]) {
        const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, eventBody, SECRET)}`;
        expect(await sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).toBe(true);
        const err = (await caught(() =>
          v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET }),
        )) as WorkOSWebhookError;
        expect(err.code).toBe('timestamp_too_new');
      }
    });

    it('several v1 values: the SDK only reads the second comma-separated part; we accept any match', async () => {
      const t = Date.now();
      const good = await sdk.computeSignature(t, eventBody, SECRET);
      const other = await sdk.computeSignature(t, eventBody, 'whsec_previous');
      const sigHeader = `t=${t}, v1=${other}, v1=${good}`;
      await expect(sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).rejects.toThrow(
        /does not match/,
      );
      expect((await v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET })).secretIndex).toBe(
        0,
      );
    });

    it('header order: the SDK rejects "v1=…, t=…"; we parse by key', async () => {
      const t = Date.now();
      const sigHeader = `v1=${await sdk.computeSignature(t, eventBody, SECRET)}, t=${t}`;
      await expect(sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).rejects.toThrow();
      expect((await v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET })).timestamp).toBe(t);
    });

    it('NaN timestamp: the SDK accepts t=abc when the HMAC covers "abc."; we reject malformed_signature', async () => {
      const sigHeader = `t=abc, v1=${await sdk.computeSignature('abc', eventBody, SECRET)}`;
      expect(await sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).toBe(true);
      const err = (await caught(() =>
        v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET }),
      )) as WorkOSWebhookError;
      expect(err.code).toBe('malformed_signature');
    });

    it('missing header: the SDK throws a TypeError; we throw missing_signature (401)', async () => {
      const sdkErr = await caught(() =>
        sdk.verifyHeader({ payload: eventBody, sigHeader: undefined as unknown as string, secret: SECRET }),
      );
      expect(sdkErr).toBeInstanceOf(TypeError);
      const err = (await caught(() =>
        v.verifySignature({ payload: eventBody, signature: undefined, secret: SECRET }),
      )) as WorkOSWebhookError;
      expect([err.code, err.status]).toEqual(['missing_signature', 401]);
    });

    it('parsed object payload: the SDK re-stringifies it (so only compact JSON verifies); we refuse with payload_not_raw', async () => {
      const t = Date.now();
      const pretty = JSON.stringify(JSON.parse(eventBody), null, 2);
      const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, pretty, SECRET)}`;
      // The genuine pretty-printed delivery fails in the SDK once the app parsed it first.
      await expect(sdk.verifyHeader({ payload: JSON.parse(pretty), sigHeader, secret: SECRET })).rejects.toThrow();
      const err = (await caught(() =>
        v.verifySignature({ payload: JSON.parse(pretty), signature: sigHeader, secret: SECRET }),
      )) as WorkOSWebhookError;
      expect(err.code).toBe('payload_not_raw');
      expect((await v.verifySignature({ payload: pretty, signature: sigHeader, secret: SECRET })).secretIndex).toBe(0);
    });

    it('constructEvent and verifyWorkOSWebhook agree on a valid delivery (ours keeps snake_case)', async () => {
      const t = Date.now();
      const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, eventBody, SECRET)}`;
      const theirs = (await sdk.constructEvent({ payload: eventBody, sigHeader, secret: SECRET })) as {
        id: string;
        event: string;
      };
      const ours = (await v.verifyWebhook({ payload: eventBody, signature: sigHeader, secret: SECRET })) as {
        id: string;
        event: string;
      };
      expect([ours.id, ours.event]).toEqual([theirs.id, theirs.event]);
    });
  });
});
