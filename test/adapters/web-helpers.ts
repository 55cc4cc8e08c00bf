/** Helpers shared by the web and Next.js adapter tests: independent signing (node:crypto) and a node:http bridge. */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export const SECRET = 'whsec_adapter_test_secret';

/** A WorkOS-like dsync.user.created event body (wire JSON, snake_case) with a fresh id. */
export function eventBody(overrides: { id?: string; pretty?: boolean } = {}): { id: string; body: string } {
  const id = overrides.id ?? `event_${randomUUID().replaceAll('-', '').toUpperCase()}`;
  const event = {
    id,
    event: 'dsync.user.created',
    data: {
      object: 'directory_user',
      id: 'directory_user_01E1JG7J09H96KYP8HM9B0G5SJ',
      directory_id: 'directory_01ECAZ4NV9QMV47GW873HDCX74',
      organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
      first_name: 'Zoë',
      last_name: 'Ångström',
      email: 'zoe@example.com',
      state: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    },
    created_at: new Date().toISOString(),
  };
  // `pretty` keeps whitespace and non-ASCII as sent: a re-stringified body would no longer match the signature.
  return { id, body: overrides.pretty ? `${JSON.stringify(event, null, 2)}\n` : JSON.stringify(event) };
}

/** `t=<ms>, v1=<hex>` computed here with node:crypto, independently of the library's signer. */
export function sign(body: string | Uint8Array, opts: { secret?: string; t?: number } = {}): string {
  const t = String(opts.t ?? Date.now());
  const hmac = createHmac('sha256', opts.secret ?? SECRET)
    .update(`${t}.`)
    .update(body)
    .digest('hex');
  return `t=${t}, v1=${hmac}`;
}

/** Headers of a correctly signed delivery. */
export function signedHeaders(body: string, opts: { secret?: string; t?: number } = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'workos-signature': sign(body, opts) };
}

/** Parses a handler response body (`{"status":…,"code":…}`). */
export async function json(res: Response): Promise<{ status?: string; code?: string }> {
  return (await res.json()) as { status?: string; code?: string };
}

/** A real HTTP server on a random loopback port. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** node:http → Fetch bridge (what @hono/node-server and similar do): for running a Request handler over real HTTP. */
export function fetchBridge(fn: (request: Request, clientIp?: string) => Promise<Response>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
      duplex: 'half',
    } as RequestInit);
    fn(request, req.socket.remoteAddress)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => {
        res.statusCode = 500;
        res.end();
      });
  };
}
