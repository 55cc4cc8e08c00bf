import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HmacProvider } from './crypto-provider.js';

function matchSync(
  secrets: readonly string[],
  prefix: string,
  body: string | Uint8Array,
  signatures: readonly Uint8Array<ArrayBuffer>[],
): number {
  for (let s = 0; s < secrets.length; s++) {
    // Hashing prefix and body separately keeps a Buffer body byte-exact and avoids copying it.
    const digest = createHmac('sha256', secrets[s]!).update(prefix).update(body).digest();
    for (let i = 0; i < signatures.length; i++) {
      if (timingSafeEqual(digest, signatures[i]!)) return s;
    }
  }
  return -1;
}

function signSync(secret: string, prefix: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(prefix).update(body).digest('hex');
}

/** HMAC through node:crypto: createHmac + timingSafeEqual on the decoded 32-byte digests. */
export const nodeCryptoProvider: HmacProvider = {
  name: 'node:crypto',
  matchSync,
  match: async (secrets, prefix, body, signatures) => matchSync(secrets, prefix, body, signatures),
  signSync,
  sign: async (secret, prefix, body) => signSync(secret, prefix, body),
};
