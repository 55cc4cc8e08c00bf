/**
 * Interop with @workos-inc/node 12 (the devDependency alias `workos-node-12`, Node >= 22), next to the SDK 11 suite
 * in interop.test.ts: our listEvents driven by a real SDK 12 `WorkOS` instance pointed at the fake, and the SDK's own
 * `events.listEvents`, which no longer sends `order` (SDK 12 dropped the option: the live API ignores it and
 * returns oldest first, workos-node#1610).
 */
import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/events-api/index.js';
import { ALL_TYPES, ids, withFake } from './helpers.js';

const major = Number(process.versions.node.split('.')[0]);
const supported = major >= 22;
if (!supported) {
  console.warn(
    `[test/events-api/interop-sdk12] SKIPPED on Node ${process.version}: @workos-inc/node 12 needs Node >= 22 (runs on the Node 22/24 legs).`,
  );
}

interface SdkEvents {
  listEvents(o: { events: string[]; limit?: number; after?: string }): Promise<{
    data: { id: string; event: string; createdAt: Date }[];
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
  const { WorkOS } = (await import('workos-node-12')) as unknown as { WorkOS: SdkCtor };
  const { hostname, port } = new URL(url);
  return new WorkOS(key, { apiHostname: hostname, port: Number(port), https: false });
}

describe.skipIf(!supported)('@workos-inc/node 12 interop', () => {
  it('listEvents({ workos }) takes the key and base URL from a real SDK 12 WorkOS instance', async () => {
    await withFake(420, async (api) => {
      const workos = await sdkFor(api.url, api.apiKey);
      expect(workos.baseURL).toBe(api.url);
      const got: string[] = [];
      for await (const e of listEvents({ workos, events: ALL_TYPES })) got.push(e.id);
      expect(got).toEqual(ids(420));
      expect(api.requests.every((r) => r.authorized)).toBe(true);
    });
  });

  it('an SDK 12 instance without an API key (a public client) is rejected with a clear error', async () => {
    const { WorkOS } = (await import('workos-node-12')) as unknown as {
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

  it("the SDK's own events.listEvents pages through the fake oldest first, sending no `order`", async () => {
    await withFake(150, async (api) => {
      const workos = await sdkFor(api.url, api.apiKey);
      const got: string[] = [];
      let after: string | undefined;
      do {
        const page = await workos.events.listEvents({
          events: ['user.created', 'organization.updated'],
          limit: 10,
          after,
        });
        got.push(...page.data.map((e) => e.id));
        after = page.listMetadata.after ?? undefined;
      } while (after);
      expect(got).toEqual(ids(150).filter((_, i) => i % 6 === 1 || i % 6 === 2));
      expect(api.requests[0]?.query.get('events')).toBe('user.created,organization.updated');
      expect(api.requests.some((r) => r.query.has('order'))).toBe(false);
    });
  });

  it('an `order` passed anyway (SDK 11 code, untyped JS) is dropped by SDK 12, not sent', async () => {
    await withFake(30, async (api) => {
      const workos = await sdkFor(api.url, api.apiKey);
      const legacy = { events: ['user.created'], limit: 5, order: 'desc' } as Parameters<SdkEvents['listEvents']>[0];
      const page = await workos.events.listEvents(legacy);
      expect(api.requests[0]?.query.has('order')).toBe(false);
      // So the page is the oldest first, not the newest: code that relied on `order: 'desc'` reads another page.
      expect(page.data.map((e) => e.id)).toEqual(
        ids(30)
          .filter((_, i) => i % 6 === 1)
          .slice(0, 5),
      );
    });
  });
});
