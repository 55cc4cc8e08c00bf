// The edge build's HMAC implementation (WebCrypto only: nothing reachable from here may import `node:`).
export { webCryptoProvider as defaultCrypto } from './webcrypto.js';
