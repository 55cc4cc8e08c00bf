import { describe, expect, it } from 'vitest';
import { createFakeEventGenerator, createFakeWorkOSApi, type FakeWorkOSApi } from '../../src/testing/fake-api/index.js';
import { generate, ids, withFake } from './helpers.js';

interface ListBody {
  object: string;
  data: { id: string; event: string; created_at: string }[];
  list_metadata: { before: string | null; after: string | null };
}

async function get(api: FakeWorkOSApi, query: string, key = api.apiKey) {
  const res = await fetch(`${api.url}/events?${query}`, { headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  return { status: res.status, requestId: res.headers.get('x-request-id'), text, body: JSON.parse(text) as ListBody };
}

describe('fake WorkOS Events API', () => {
  it('pages oldest first with order=asc; after excludes the cursor event; after is null at the end', async () => {
    await withFake(25, async (api) => {
      const types =
        'events=dsync.user.created,user.created,organization.updated,dsync.user.updated,connection.activated,dsync.group.user_added';
      const p1 = await get(api, `${types}&limit=10&order=asc`);
      expect(p1.status).toBe(200);
      expect(p1.body.object).toBe('list');
      expect(p1.body.data.map((e) => e.id)).toEqual(ids(10));
      expect(p1.body.list_metadata).toEqual({ before: null, after: generate(9).id });
      const p3 = await get(api, `${types}&limit=10&after=${generate(19).id}`);
      expect(p3.body.data.map((e) => e.id)).toEqual(ids(5, 20));
      expect(p3.body.list_metadata).toEqual({ before: generate(20).id, after: null });
      const desc = await get(api, `${types}&limit=3&order=desc`);
      expect(desc.body.data.map((e) => e.id)).toEqual([generate(24).id, generate(23).id, generate(22).id]);
    });
  });

  it('accepts the comma, repeated-key and events[] encodings; default limit 10', async () => {
    await withFake(60, async (api) => {
      const a = await get(api, 'events=user.created%2Corganization.updated');
      const b = await get(api, 'events=user.created&events=organization.updated');
      const c = await get(api, 'events%5B%5D=user.created&events%5B%5D=organization.updated');
      expect(a.body.data.length).toBe(10);
      expect(b.body).toEqual(a.body);
      expect(c.body).toEqual(a.body);
      expect(new Set(a.body.data.map((e) => e.event))).toEqual(new Set(['user.created', 'organization.updated']));
    });
  });

  it('filters range_start/range_end (inclusive) and organization_id', async () => {
    await withFake(30, async (api) => {
      const all =
        'events=dsync.user.created,user.created,organization.updated,dsync.user.updated,connection.activated,dsync.group.user_added&limit=100';
      const r = await get(api, `${all}&range_start=${generate(5).created_at}&range_end=${generate(8).created_at}`);
      expect(r.body.data.map((e) => e.id)).toEqual(ids(4, 5));
      const org = (generate(0).data as { organization_id: string }).organization_id;
      const o = await get(api, `${all}&organization_id=${org}`);
      expect(o.body.data.length).toBeGreaterThan(0);
      expect(o.body.data.every((e) => JSON.stringify(e).includes(org))).toBe(true);
      expect(o.body.data.some((e) => e.event === 'user.created')).toBe(false); // user events are not organization-scoped
    });
  });

  it.each([
    ['missing events', 'limit=5', 422, 'events'],
    ['limit 0', 'events=user.created&limit=0', 422, 'limit'],
    ['limit 101', 'events=user.created&limit=101', 422, 'limit'],
    ['after with range_start', 'events=user.created&after=event_x&range_start=2026-01-01', 422, 'range_start'],
    ['unknown after', 'events=user.created&after=event_nope', 422, 'after'],
    ['bad range', 'events=user.created&range_end=whenever', 422, 'range_end'],
  ])('%s → %d', async (_name, query, status, field) => {
    await withFake(5, async (api) => {
      const r = await get(api, query);
      expect(r.status).toBe(status);
      expect((r.body as unknown as { errors: { field: string }[] }).errors[0]?.field).toBe(field);
    });
  });

  it('401 on a wrong key, logged without the key', async () => {
    await withFake(5, async (api) => {
      const r = await get(api, 'events=user.created', 'sk_wrong');
      expect(r.status).toBe(401);
      expect(r.requestId).toBe('req_fake_000000');
      expect(api.requests[0]).toMatchObject({ authorized: false, status: 401, path: '/events' });
      expect(JSON.stringify(api.requests)).not.toContain('sk_wrong');
    });
  });

  it('append() adds events live; the lazy source finds cursors by binary search', async () => {
    await withFake(1_000_000, async (api) => {
      expect(api.size).toBe(1_000_000);
      const next = { ...createFakeEventGenerator()(1_000_000) };
      api.append(next);
      const r = await get(
        api,
        `events=dsync.user.created,user.created,organization.updated,dsync.user.updated,connection.activated,dsync.group.user_added&after=${generate(999_998).id}`,
      );
      expect(r.body.data.map((e) => e.id)).toEqual([generate(999_999).id, next.id]);
      expect(api.eventAt(1_000_000)?.id).toBe(next.id);
    });
  });

  it('a lazy source whose ids do not sort with their index still pages (cursor found by a scan)', async () => {
    const api = await createFakeWorkOSApi({
      events: {
        count: 25,
        generate: (i) => ({
          object: 'event',
          id: `evt_${i}`, // 'evt_10' < 'evt_9' as strings
          event: 'user.created',
          data: {},
          created_at: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
        }),
      },
    });
    try {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page = await get(api, `events=user.created&limit=4${after ? `&after=${after}` : ''}`);
        expect(page.status, page.text).toBe(200);
        seen.push(...page.body.data.map((e) => e.id));
        after = page.body.list_metadata.after;
      } while (after);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `evt_${i}`));
      expect((await get(api, 'events=user.created&after=evt_nope')).status).toBe(422);
    } finally {
      await api.close();
    }
  });

  it('faults by schedule: 429 with/without Retry-After, text body, 500, reset, truncated, slow', async () => {
    await withFake(
      5,
      async (api) => {
        const q = 'events=user.created';
        const r1 = await fetch(`${api.url}/events?${q}`, { headers: { authorization: `Bearer ${api.apiKey}` } });
        expect([r1.status, r1.headers.get('retry-after')]).toEqual([429, '2']);
        const r2 = await fetch(`${api.url}/events?${q}`, { headers: { authorization: `Bearer ${api.apiKey}` } });
        expect([r2.status, r2.headers.get('retry-after'), await r2.text()]).toEqual([429, null, 'Ratelimited']);
        expect((await get(api, q)).status).toBe(500);
        await expect(get(api, q)).rejects.toThrow();
        const truncated = await fetch(`${api.url}/events?${q}`, { headers: { authorization: `Bearer ${api.apiKey}` } });
        expect(truncated.status).toBe(200);
        await expect(truncated.json()).rejects.toThrow();
        const started = Date.now();
        expect((await get(api, q)).status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(45);
        expect(api.requests.map((r) => r.fault)).toEqual([
          'rate_limit',
          'rate_limit',
          'server_error',
          'reset',
          'truncated',
          'slow',
        ]);
      },
      {
        faults: {
          schedule: [
            { type: 'rate_limit', retryAfter: 2 },
            { type: 'rate_limit', body: 'text' },
            { type: 'server_error' },
            { type: 'reset' },
            { type: 'truncated' },
            { type: 'slow', delayMs: 50 },
          ],
        },
      },
    );
  });

  it('faults by rate are reproducible from the seed', async () => {
    const run = async (seed: number) =>
      withFake(
        5,
        async (api) => {
          for (let i = 0; i < 40; i++) await get(api, 'events=user.created').catch(() => undefined);
          return api.requests.map((r) => r.fault ?? '-').join(',');
        },
        { faults: { rate: 0.3, seed, kinds: [{ type: 'server_error' }, { type: 'rate_limit', retryAfter: 0 }] } },
      );
    const a = await run(11);
    expect(await run(11)).toBe(a);
    expect(await run(12)).not.toBe(a);
    const faults = a.split(',').filter((f) => f !== '-').length;
    expect(faults).toBeGreaterThan(3);
    expect(faults).toBeLessThan(25);
  });

  it('close() ends open connections and slow answers', async () => {
    const api = await createFakeWorkOSApi({ latencyMs: 10_000 });
    const pending = fetch(`${api.url}/events?events=user.created`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    await new Promise((r) => setTimeout(r, 30));
    await api.close();
    await expect(pending).rejects.toThrow();
  });
});
