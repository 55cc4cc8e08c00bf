/**
 * Interop with the official SDK (@workos-inc/node 11, Node >= 22): our listEvents driven by a real `WorkOS` instance
 * pointed at the fake, and the SDK's own `events.listEvents` accepted by the fake (its comma encoding of `events`).
 */
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/events-api/index.js';
import { ALL_TYPES, ids, withFake } from './helpers.js';

const major = Number(process.versions.node.split('.')[0]);
const supported = major >= 22;
if (!supported) {
  console.warn(
    `[test/events-api/interop] SKIPPED on Node ${process.version}: @workos-inc/node 11 needs Node >= 22 (runs on the Node 22/24 legs).`,
  );
}

interface SdkEvents {
  listEvents(o: { events: string[]; limit?: number; after?: string; order?: 'asc' | 'desc' }): Promise<{
    data: { id: string; event: string }[];
    listMetadata: { after?: string | null };
  }>;
}
interface SdkWorkOS {
  key?: string;
  baseURL: string;
  events: SdkEvents;
}
type SdkCtor = new (
  key: string,
  options: { apiHostname: string; port: number; https: boolean; maxRetries?: number },
) => SdkWorkOS;

async function sdkFor(url: string, key: string): Promise<SdkWorkOS> {
  const { WorkOS } = (await import('@workos-inc/node')) as unknown as { WorkOS: SdkCtor };
  const { hostname, port } = new URL(url);
  return new WorkOS(key, { apiHostname: hostname, port: Number(port), https: false });
}

describe.skipIf(!supported)('@workos-inc/node 11 interop', () => {
  it('listEvents({ workos }) takes the key and base URL from a real WorkOS instance', async () => {
    await withFake(420, async (api) => {
      const workos = await sdkFor(api.url, api.apiKey);
      expect(workos.baseURL).toBe(api.url);
      const got: string[] = [];
      for await (const e of listEvents({ workos, events: ALL_TYPES })) got.push(e.id);
      expect(got).toEqual(ids(420));
      expect(api.requests.every((r) => r.authorized)).toBe(true);
    });
  });

  it('a WorkOS instance without an API key is rejected with a clear error', async () => {
    const { WorkOS } = (await import('@workos-inc/node')) as unknown as {
      WorkOS: new (o: { clientId: string; apiKey?: string }) => SdkWorkOS;
    };
    const saved = process.env.WORKOS_API_KEY;
    delete process.env.WORKOS_API_KEY;
    try {
      const workos = new WorkOS({ clientId: 'client_123' });
      expect(() => listEvents({ workos, events: ['user.created'] })).toThrow(/could not read an API key/);
    } finally {
      if (saved !== undefined) process.env.WORKOS_API_KEY = saved;
    }
  });

  it("the SDK's own events.listEvents pages through the fake (comma-encoded events filter)", async () => {
    await withFake(150, async (api) => {
      const workos = await sdkFor(api.url, api.apiKey);
      const got: string[] = [];
      let after: string | undefined;
      do {
        const page = await workos.events.listEvents({
          events: ['user.created', 'organization.updated'],
          limit: 10,
          after,
          order: 'asc',
        });
        got.push(...page.data.map((e) => e.id));
        after = page.listMetadata.after ?? undefined;
      } while (after);
      const expected = ids(150).filter((_, i) => i % 6 === 1 || i % 6 === 2);
      expect(got).toEqual(expected);
      expect(api.requests[0]?.query.get('events')).toBe('user.created,organization.updated');
    });
  });
});
