import { createRequire } from 'node:module';
import type { HmacProvider } from './crypto-provider.js';

type NodeCrypto = typeof import('node:crypto');
let loaded: NodeCrypto | undefined;

/**
 * node:crypto, loaded on the first HMAC instead of at import: a process that builds its handler at startup pays for
 * it at its first delivery, and the CommonJS object skips the ES module namespace of node:crypto, whose creation
 * reads every export (loading WebCrypto too). `process.getBuiltinModule` (Node ≥ 20.16) or, before it, a require.
 */
function nodeCrypto(): NodeCrypto {
  loaded ??= (process.getBuiltinModule?.('node:crypto') ?? createRequire('/')('node:crypto')) as NodeCrypto;
  return loaded;
}

function matchSync(
  secrets: readonly string[],
  prefix: string,
  body: string | Uint8Array,
  signatures: readonly Uint8Array<ArrayBuffer>[],
): number {
  const { createHmac, timingSafeEqual } = nodeCrypto();
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
  return nodeCrypto().createHmac('sha256', secret).update(prefix).update(body).digest('hex');
}

/** HMAC through node:crypto: createHmac + timingSafeEqual on the decoded 32-byte digests. */
export const nodeCryptoProvider: HmacProvider = {
  name: 'node:crypto',
  matchSync,
  match: async (secrets, prefix, body, signatures) => matchSync(secrets, prefix, body, signatures),
  signSync,
  sign: async (secret, prefix, body) => signSync(secret, prefix, body),
};
