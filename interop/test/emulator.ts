/**
 * Helpers for the interop leg: WorkOS's CLI emulator (`createEmulator` from the npm package `workos`), real API calls
 * that make it emit events, endpoints that receive its webhooks, and the raw event list as the oracle.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator, type Emulator } from 'workos/emulate';

export type { Emulator };

/** One event as the emulator's `GET /events` lists it. */
export interface RawEvent {
  id: string;
  event: string;
  created_at: string;
  data: Record<string, unknown>;
}

/** Event types the emulator emits for the calls in {@link makeActivity} that workos-events knows. */
export const KNOWN_TYPES = [
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'user.created',
  'user.updated',
  'user.deleted',
  'organization_membership.created',
  'organization_membership.deleted',
  'role.created',
  'permission.created',
] as const;

/** What the emulator emits for a new SSO connection: not a WorkOS event type (WorkOS sends `connection.activated`). */
export const UNKNOWN_TYPE = 'connection.created';

export async function startEmulator(): Promise<Emulator> {
  return createEmulator({ port: 0 });
}

/** A JSON call to the emulator's API with its default key; fails the test on a non-2xx answer. */
export async function api<T = Record<string, unknown>>(
  emu: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${emu.apiKey}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Registers a webhook endpoint for every event type (`events: []`), with a secret we choose. */
export async function registerEndpoint(emu: Emulator, url: string, secret: string): Promise<void> {
  const endpoint = await api<{ secret: string }>(emu, 'POST', '/webhook_endpoints', {
    endpoint_url: url,
    secret,
    events: [],
  });
  if (endpoint.secret !== secret) throw new Error('the emulator did not keep the secret we gave it');
}

/**
 * Real API calls across organizations, users, memberships, roles, permissions and connections. `tag` keeps names and
 * e-mail addresses unique when called more than once.
 */
export async function makeActivity(emu: Emulator, tag = 'a'): Promise<void> {
  const org = await api<{ id: string }>(emu, 'POST', '/organizations', { name: `Acme ${tag}` });
  await api(emu, 'PUT', `/organizations/${org.id}`, { name: `Acme ${tag} Inc.` });
  const ada = await api<{ id: string }>(emu, 'POST', '/user_management/users', {
    email: `ada.${tag}@example.com`,
    first_name: 'Ada',
  });
  const bob = await api<{ id: string }>(emu, 'POST', '/user_management/users', {
    email: `bob.${tag}@example.com`,
    first_name: 'Bob',
  });
  await api(emu, 'PUT', `/user_management/users/${ada.id}`, { last_name: 'Lovelace' });
  const membership = await api<{ id: string }>(emu, 'POST', '/user_management/organization_memberships', {
    user_id: bob.id,
    organization_id: org.id,
  });
  await api(emu, 'DELETE', `/user_management/organization_memberships/${membership.id}`);
  await api(emu, 'DELETE', `/user_management/users/${bob.id}`);
  await api(emu, 'POST', '/authorization/permissions', { slug: `posts-read-${tag}`, name: 'Read posts' });
  await api(emu, 'POST', '/authorization/roles', { slug: `editor-${tag}`, name: 'Editor' });
  await api(emu, 'POST', '/connections', {
    name: `Acme SSO ${tag}`,
    organization_id: org.id,
    connection_type: 'GenericSAML',
  });
  const temp = await api<{ id: string }>(emu, 'POST', '/organizations', { name: `Temp ${tag}` });
  await api(emu, 'DELETE', `/organizations/${temp.id}`);
}

/** Every event the emulator holds, oldest first, read page by page with plain fetch (the oracle). */
export async function rawEvents(emu: Emulator): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  let after: string | null = null;
  do {
    const query: string = `order=asc&limit=100${after ? `&after=${after}` : ''}`;
    const page = await api<{ data: RawEvent[]; list_metadata: { after: string | null } }>(
      emu,
      'GET',
      `/events?${query}`,
    );
    out.push(...page.data);
    after = page.list_metadata.after;
  } while (after);
  return out;
}

/** Resolves once `check()` is true; rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Listens on 127.0.0.1 (an ephemeral port) and returns the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A node:http server that hands each request to a Fetch-API handler (Request in, Response out). */
export function fetchServer(handler: (request: Request) => Promise<Response>): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const method = req.method ?? 'GET';
      const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      });
      handler(request)
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
    });
  });
}

/** A plain endpoint that records what the emulator sends (header and body as received). */
export function recorder(): { server: Server; deliveries: { signature: string; body: string }[] } {
  const deliveries: { signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({
        signature: String(req.headers['workos-signature'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.end('ok');
    });
  });
  return { server, deliveries };
}
