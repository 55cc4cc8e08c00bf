import type { HmacProvider } from './crypto-provider.js';

const encoder = new TextEncoder();

/** Imported keys by secret. Bounded so per-tenant secrets cannot grow it forever; oldest entry goes first. */
const keys = new Map<string, Promise<CryptoKey>>();
const MAX_KEYS = 256;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new TypeError('workos-events: this runtime has no WebCrypto (globalThis.crypto.subtle).');
  return s;
}

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    // A failed import must not stay cached.
    key.catch(() => keys.delete(secret));
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value as string);
    keys.set(secret, key);
  }
  return key;
}

/** The signed bytes `prefix + body` in one buffer (WebCrypto has no incremental HMAC). */
function message(prefix: string, body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof body === 'string') return encoder.encode(prefix + body);
  const out = new Uint8Array(prefix.length + body.byteLength); // prefix is ASCII: one byte per char
  encoder.encodeInto(prefix, out);
  out.set(body, prefix.length);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** HMAC through WebCrypto: keys imported once per secret, `subtle.verify` for the constant-time comparison. */
export const webCryptoProvider: HmacProvider = {
  name: 'webcrypto',
  async match(secrets, prefix, body, signatures) {
    const data = message(prefix, body);
    for (let s = 0; s < secrets.length; s++) {
      const key = await keyFor(secrets[s]!);
      for (let i = 0; i < signatures.length; i++) {
        if (await subtle().verify('HMAC', key, signatures[i]!, data)) return s;
      }
    }
    return -1;
  },
  async sign(secret, prefix, body) {
    const mac = new Uint8Array(await subtle().sign('HMAC', await keyFor(secret), message(prefix, body)));
    let hex = '';
    for (let i = 0; i < mac.length; i++) hex += HEX[mac[i]!];
    return hex;
  },
};
