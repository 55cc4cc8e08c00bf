/**
 * The HMAC-SHA256 operations verification needs. Two implementations: `node-crypto.ts` (node:crypto, sync and
 * async) and `webcrypto.ts` (WebCrypto, async only). `default-crypto.ts` picks node:crypto; the edge build swaps in
 * `default-crypto.edge.ts` (WebCrypto).
 */
export interface HmacProvider {
  /** `node:crypto` or `webcrypto`, for diagnostics. */
  readonly name: string;
  /**
   * Index of the first secret for which some signature equals HMAC-SHA256(secret, prefix + body), or -1.
   * Digests are compared in constant time. Absent when the runtime has no synchronous HMAC.
   */
  readonly matchSync?: (
    secrets: readonly string[],
    prefix: string,
    body: string | Uint8Array,
    signatures: readonly Uint8Array<ArrayBuffer>[],
  ) => number;
  /** Async twin of `matchSync`, available everywhere. */
  readonly match: (
    secrets: readonly string[],
    prefix: string,
    body: string | Uint8Array,
    signatures: readonly Uint8Array<ArrayBuffer>[],
  ) => Promise<number>;
  /** Lowercase hex HMAC-SHA256(secret, prefix + body); absent without a synchronous HMAC. */
  readonly signSync?: (secret: string, prefix: string, body: string | Uint8Array) => string;
  /** Async twin of `signSync`. */
  readonly sign: (secret: string, prefix: string, body: string | Uint8Array) => Promise<string>;
}
