import type { HmacProvider } from '../../src/verify/crypto-provider.js';
import { nodeCryptoProvider } from '../../src/verify/node-crypto.js';
import { type SignWorkOSWebhookInput, signHeader, signHeaderSync } from '../../src/verify/sign.js';
import { checkSignature, checkSignatureSync, type VerifyInput } from '../../src/verify/signature.js';
import { webCryptoProvider } from '../../src/verify/webcrypto.js';
import { type VerifyWebhookInput, verifyWebhook, verifyWebhookSync } from '../../src/webhook/verify-webhook.js';

/** A realistic dsync.user.created delivery (~1.1 KB), with non-ASCII characters so byte-exactness matters. */
export const dsyncUserCreated = {
  id: 'event_01JD8N3X4Y5Z6A7B8C9D0EFGHJ',
  event: 'dsync.user.created',
  data: {
    object: 'directory_user',
    id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
    directory_id: 'directory_01ECAZ4NV9QMV47GW873HDCX74',
    organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
    idp_id: '2836',
    email: 'marcelina.davis@example.com',
    first_name: 'Marcelina',
    last_name: 'Dávis',
    emails: [{ primary: true, type: 'work', value: 'marcelina.davis@example.com' }],
    job_title: 'Software Engineer',
    username: 'mdavis',
    state: 'active',
    raw_attributes: {
      department: 'Engineering',
      title: 'Software Engineer',
      manager: { value: '2811', displayName: 'Zoë Müller' },
      locale: 'pl-PL',
    },
    custom_attributes: { department: 'Engineering', job_title: 'Software Engineer', cost_center: 'R&D-042' },
    role: { slug: 'member' },
    created_at: '2026-01-15T12:00:00.000Z',
    updated_at: '2026-01-15T12:00:00.000Z',
  },
  created_at: '2026-01-15T12:00:00.123Z',
};

/** The body as WorkOS sends it: compact JSON, signed byte for byte. */
export const eventBody = JSON.stringify(dsyncUserCreated);
export const SECRET = 'whsec_0FWAiVGkEfGBqqsJH4aNAGBJ4';
export const NOW = 1_768_478_400_123;

/** The operations under test, bound to one HMAC implementation, so both implementations run the same suite. */
export interface VerifierApi {
  provider: HmacProvider;
  verifySignature(input: VerifyInput): Promise<{ timestamp: number; secretIndex: number }>;
  verifySignatureSync(input: VerifyInput): { timestamp: number; secretIndex: number };
  verifyWebhook(input: VerifyWebhookInput): Promise<unknown>;
  verifyWebhookSync(input: VerifyWebhookInput): unknown;
  sign(input: SignWorkOSWebhookInput): Promise<string>;
  /** Sync signing always via node:crypto (the reference); the WebCrypto provider has no sync HMAC. */
  signSync(input: SignWorkOSWebhookInput): string;
}

function api(provider: HmacProvider): VerifierApi {
  return {
    provider,
    verifySignature: (i) => checkSignature(provider, i),
    verifySignatureSync: (i) => checkSignatureSync(provider, i),
    verifyWebhook: (i) => verifyWebhook(provider, i),
    verifyWebhookSync: (i) => verifyWebhookSync(provider, i),
    sign: (i) => signHeader(provider, i),
    signSync: (i) => signHeaderSync(nodeCryptoProvider, i),
  };
}

export const providers: [string, VerifierApi][] = [
  ['node:crypto', api(nodeCryptoProvider)],
  ['webcrypto', api(webCryptoProvider)],
];

/** Runs `fn` and returns the thrown error (fails the test when nothing is thrown). */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw, got none');
}
