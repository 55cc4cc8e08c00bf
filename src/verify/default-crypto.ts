// The Node build's HMAC implementation. The edge build resolves this import to default-crypto.edge.ts instead.
export { nodeCryptoProvider as defaultCrypto } from './node-crypto.js';
