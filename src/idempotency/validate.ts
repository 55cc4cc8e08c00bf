// Argument checks shared by the shipped stores: a bad lease or key is a programming error, so it throws at once
// instead of silently storing something that would break dedup later.

/** Throws a TypeError unless `key` is a non-empty string. */
export function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('Idempotency key must be a non-empty string.');
}

/** Throws a TypeError unless `token` is a string (an unknown token is fine: it simply matches nothing). */
export function assertToken(token: unknown): asserts token is string {
  if (typeof token !== 'string') throw new TypeError('Idempotency token must be a string.');
}

/** Throws a RangeError unless `ms` is a positive finite number of milliseconds; returns it rounded up. */
export function checkDuration(ms: unknown, name: 'leaseMs' | 'retainMs'): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`${name} must be a positive, finite number of milliseconds.`);
  }
  return Math.ceil(ms);
}

/** Throws a TypeError unless `namespace` is undefined or a string without NUL characters. */
export function checkNamespace(namespace: unknown): string {
  if (namespace === undefined) return '';
  if (typeof namespace !== 'string' || namespace.includes('\0')) {
    throw new TypeError('namespace must be a string without NUL characters.');
  }
  return namespace;
}

/** A fresh fencing token: a random UUID (WebCrypto, available on Node ≥ 19 and every edge runtime). */
export function newToken(): string {
  return globalThis.crypto.randomUUID();
}
