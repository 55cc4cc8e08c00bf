const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (48-bit time + 80 random bits, Crockford base32), the id format WorkOS uses after its prefixes. */
export function ulid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32];
  return time + rand;
}

/** Matches a prefixed WorkOS id such as `directory_user_01E1JG7J09H96KYP8HM9B0G5SJ`; group 1 is the prefix. */
export const PREFIXED_ID = /^([a-z][a-z_]*_)[0-9A-HJKMNP-TV-Z]{26}$/;
