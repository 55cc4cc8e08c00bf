/**
 * @workos-inc/node 12 (the devDependency alias `workos-node-12`, Node >= 22) as an oracle, next to SDK 11 in
 * sdk-oracle.test.ts: headers we sign pass its verifyHeader, headers from its computeSignature pass ours, and the
 * two agree on the tolerance window. SDK 12 now checks timestamps on both sides (|now - t| <= 180 s by default) and
 * rejects a non-numeric `t`; its remaining header-parsing weaknesses are shown to exist.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkOSWebhookError } from '../../src/verify/errors.js';
import { caught, eventBody, providers, SECRET } from './fixtures.js';

const major = Number(process.versions.node.split('.')[0]);
const supported = major >= 22;
if (!supported) {
  console.warn(
    `[test/verify/sdk12-oracle] SKIPPED on Node ${process.version}: @workos-inc/node 12 needs Node >= 22 (runs on the Node 22/24 legs).`,
  );
}

interface SdkWebhooks {
  verifyHeader(o: { payload: unknown; sigHeader: string; secret: string; tolerance?: number }): Promise<boolean>;
  computeSignature(timestamp: unknown, payload: unknown, secret: string): Promise<string>;
  constructEvent(o: { payload: unknown; sigHeader: string; secret: string; tolerance?: number }): Promise<unknown>;
}

/** SDK 12's default `tolerance` (ms), read from its source: `tolerance = 18e4`. */
const SDK_TOLERANCE_MS = 180_000;

let sdk: SdkWebhooks;

/** Payloads as WorkOS may send them: unicode strings, or their UTF-8 bytes (the SDK decodes bytes as UTF-8). */
const payloadArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
  fc.json({ maxDepth: 3 }),
);
const secretArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 50 });

describe.skipIf(!supported)('@workos-inc/node 12 as oracle', () => {
  beforeAll(async () => {
    const { WorkOS } = (await import('workos-node-12')) as unknown as {
      WorkOS: new (key: string) => { webhooks: SdkWebhooks };
    };
    sdk = new WorkOS('sk_test_oracle').webhooks;
  });

  describe.each(providers)('with %s', (_name, v) => {
    it('≥ 2000 cases: our signWorkOSWebhook header passes the SDK 12 verifyHeader (within its ±180 s)', async () => {
      await fc.assert(
        fc.asyncProperty(
          payloadArb,
          secretArb,
          // SDK 12 rejects timestamps more than 180 s away on either side; stay 10 s inside for clock movement.
          fc.integer({ min: -(SDK_TOLERANCE_MS - 10_000), max: SDK_TOLERANCE_MS - 10_000 }),
          async (payload, secret, offset) => {
            const timestamp = Date.now() + offset;
            const sigHeader = await v.sign({ payload, secret, timestamp });
            expect(await sdk.verifyHeader({ payload, sigHeader, secret })).toBe(true);
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('≥ 2000 cases: a header from the SDK 12 computeSignature passes ours', async () => {
      await fc.assert(
        fc.asyncProperty(
          payloadArb,
          secretArb,
          // Millisecond timestamps, as SDK 12 reads `t` (from 1973 on: below 10^11 a `t` is ambiguous with seconds).
          fc.integer({ min: 100_000_000_000, max: 9_999_999_999_999 }),
          async (payload, secret, timestamp) => {
            const sigHeader = `t=${timestamp}, v1=${await sdk.computeSignature(timestamp, payload, secret)}`;
            expect(await v.verifySignature({ payload, signature: sigHeader, secret, now: () => timestamp })).toEqual({
              timestamp,
              secretIndex: 0,
            });
          },
        ),
        { numRuns: 2000 },
      );
    });
  });

  describe('what SDK 12 fixed: it agrees with us now', () => {
    const v = providers[0]![1];

    it('the tolerance window, both sides: with the same tolerance, both accept exactly |now - t| <= tolerance', async () => {
      await fc.assert(
        fc.asyncProperty(
          // Offsets up to twice the window either side, away from the edge (the two clocks are read ms apart).
          fc
            .integer({ min: -2 * SDK_TOLERANCE_MS, max: 2 * SDK_TOLERANCE_MS })
            .filter((o) => Math.abs(Math.abs(o) - SDK_TOLERANCE_MS) > 2_000),
          async (offset) => {
            const t = Date.now() + offset;
            const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, eventBody, SECRET)}`;
            const theirs = await sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET }).then(
              () => true,
              (err: Error) => {
                expect(err.message).toMatch(/Timestamp outside the tolerance zone/);
                return false;
              },
            );
            const ours = await v
              .verifySignature({
                payload: eventBody,
                signature: sigHeader,
                secret: SECRET,
                toleranceMs: SDK_TOLERANCE_MS,
              })
              .then(
                () => true,
                (err: WorkOSWebhookError) => {
                  expect(err.code).toBe(offset < 0 ? 'timestamp_too_old' : 'timestamp_too_new');
                  return false;
                },
              );
            expect([theirs, ours]).toEqual([
              Math.abs(offset) <= SDK_TOLERANCE_MS,
              Math.abs(offset) <= SDK_TOLERANCE_MS,
            ]);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('future timestamps: SDK 12 rejects t one hour (or 1000×) ahead, as we do (SDK 11 accepted them)', async () => {
      for (const t of [Date.now() + 3_600_000, Date.now() * 1000]) {
        const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, eventBody, SECRET)}`;
        await expect(sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).rejects.toThrow(
          /Timestamp outside the tolerance zone|Invalid timestamp/,
        );
        const err = (await caught(() =>
          v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET }),
        )) as WorkOSWebhookError;
        expect(err.code).toBe('timestamp_too_new');
      }
    });

    it('NaN timestamp: SDK 12 rejects t=abc even when the HMAC covers "abc." (SDK 11 accepted it), as we do', async () => {
      const sigHeader = `t=abc, v1=${await sdk.computeSignature('abc', eventBody, SECRET)}`;
      await expect(sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).rejects.toThrow(
        /Invalid timestamp/,
      );
      const err = (await caught(() =>
        v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET }),
      )) as WorkOSWebhookError;
      expect(err.code).toBe('malformed_signature');
    });

    it('its default window is 180 s where ours is 300 s: a 4-minute-old delivery passes ours only', async () => {
      const t = Date.now() - 240_000;
      const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, eventBody, SECRET)}`;
      await expect(sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).rejects.toThrow(
        /Timestamp outside the tolerance zone/,
      );
      expect((await v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET })).timestamp).toBe(t);
    });

    it('seconds in t (what the WorkOS emulator sends): SDK 12 reads t as milliseconds and rejects the delivery', async () => {
      const t = Math.floor(Date.now() / 1000);
      const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, eventBody, SECRET)}`;
      await expect(sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).rejects.toThrow(
        /Timestamp outside the tolerance zone/,
      );
    });
  });

  describe('SDK 12 weaknesses we fix', () => {
    const v = providers[0]![1];

    it('several v1 values: SDK 12 still only reads the second comma-separated part; we accept any match', async () => {
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

    it('header order: SDK 12 rejects "v1=…, t=…"; we parse by key', async () => {
      const t = Date.now();
      const sigHeader = `v1=${await sdk.computeSignature(t, eventBody, SECRET)}, t=${t}`;
      await expect(sdk.verifyHeader({ payload: eventBody, sigHeader, secret: SECRET })).rejects.toThrow();
      expect((await v.verifySignature({ payload: eventBody, signature: sigHeader, secret: SECRET })).timestamp).toBe(t);
    });

    it('missing header: SDK 12 throws a TypeError; we throw missing_signature (401)', async () => {
      const sdkErr = await caught(() =>
        sdk.verifyHeader({ payload: eventBody, sigHeader: undefined as unknown as string, secret: SECRET }),
      );
      expect(sdkErr).toBeInstanceOf(TypeError);
      const err = (await caught(() =>
        v.verifySignature({ payload: eventBody, signature: undefined, secret: SECRET }),
      )) as WorkOSWebhookError;
      expect([err.code, err.status]).toEqual(['missing_signature', 401]);
    });

    it('parsed object payload: SDK 12 re-stringifies it (so only compact JSON verifies); we refuse with payload_not_raw', async () => {
      const t = Date.now();
      const pretty = JSON.stringify(JSON.parse(eventBody), null, 2);
      const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, pretty, SECRET)}`;
      await expect(sdk.verifyHeader({ payload: JSON.parse(pretty), sigHeader, secret: SECRET })).rejects.toThrow();
      const err = (await caught(() =>
        v.verifySignature({ payload: JSON.parse(pretty), signature: sigHeader, secret: SECRET }),
      )) as WorkOSWebhookError;
      expect(err.code).toBe('payload_not_raw');
      expect((await v.verifySignature({ payload: pretty, signature: sigHeader, secret: SECRET })).secretIndex).toBe(0);
    });

    it('constructEvent and verifyWorkOSWebhook agree on a valid delivery (theirs camelCase with Dates, ours the wire shape)', async () => {
      const t = Date.now();
      const sigHeader = `t=${t}, v1=${await sdk.computeSignature(t, eventBody, SECRET)}`;
      const theirs = (await sdk.constructEvent({ payload: eventBody, sigHeader, secret: SECRET })) as {
        id: string;
        event: string;
        createdAt: Date;
        data: { directoryId: string };
      };
      const ours = (await v.verifyWebhook({ payload: eventBody, signature: sigHeader, secret: SECRET })) as {
        id: string;
        event: string;
        created_at: string;
        data: { directory_id: string };
      };
      expect([ours.id, ours.event, ours.data.directory_id]).toEqual([theirs.id, theirs.event, theirs.data.directoryId]);
      expect(theirs.createdAt.toISOString()).toBe(ours.created_at);
    });
  });
});
