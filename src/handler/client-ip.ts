/**
 * The IP addresses WorkOS documents as the source of webhook deliveries (docs "Create an IP allowlist", same in the
 * 2026 docs versions 0.1.0 and 0.2.0). Other WorkOS pages disagree (one says traffic may come from Cloudflare
 * ranges, `workos/skills` lists six other addresses), so the allowlist is opt-in and replaceable.
 *
 * @example
 * ```ts
 * createWorkOSWebhookHandler({ allowedIps: [...WORKOS_WEBHOOK_IPS, '10.0.0.5'], trustProxy: 1 });
 * ```
 */
export const WORKOS_WEBHOOK_IPS: readonly string[] = Object.freeze([
  '3.217.146.166',
  '23.21.184.92',
  '34.204.154.149',
  '44.213.245.178',
  '44.215.236.82',
  '50.16.203.9',
  '52.1.251.34',
  '52.21.49.187',
  '174.129.36.47',
]);

/** Lower-cases, trims and unwraps IPv4-mapped IPv6 (`::ffff:1.2.3.4` → `1.2.3.4`) and `[v6]` brackets. */
export function normalizeIp(ip: string): string {
  let value = ip.trim().toLowerCase();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(value);
  return mapped ? mapped[1]! : value;
}

/**
 * The client address. `trustProxy` false: the socket address. `n`: the n-th address from the right of
 * `X-Forwarded-For` (each trusted proxy appends the address it saw), falling back to the left-most one when the
 * header is shorter. `true`: the left-most address.
 */
export function clientIp(
  socketIp: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: boolean | number,
): string | undefined {
  if (trustProxy === false || trustProxy === 0 || !forwardedFor) return socketIp;
  const hops = forwardedFor
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (hops.length === 0) return socketIp;
  if (trustProxy === true) return hops[0];
  return hops[Math.max(0, hops.length - trustProxy)];
}
