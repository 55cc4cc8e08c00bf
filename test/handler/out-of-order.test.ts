import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { objectVersionOf } from '../../src/handler/version-store.js';
import { createWorkOSWebhookHandler, MemoryVersionStore, type VersionStore } from '../../src/index.js';
import { bodyOf, makeEvent, RecordingStore, SECRET, signedRequest } from './helpers.js';

const user = (updated_at: string, extra: Record<string, unknown> = {}) =>
  makeEvent({
    event: 'dsync.user.updated',
    data: { id: 'directory_user_1', object: 'directory_user', updated_at, ...extra },
  });

describe('out-of-order guard', () => {
  it('is off by default: an older update still runs', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET });
    const seen: string[] = [];
    webhooks.onAny((e) => {
      seen.push((e.data as { updated_at: string }).updated_at);
    });
    await webhooks.handle(signedRequest(user('2026-02-01T00:00:00Z')));
    await webhooks.handle(signedRequest(user('2026-01-01T00:00:00Z')));
    expect(seen).toHaveLength(2);
  });

  it('skips an event older than the last applied for the same object: 200 skipped_stale, completed, not retried', async () => {
    const store = new RecordingStore();
    const onSkippedStale = vi.fn();
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      store,
      outOfOrderGuard: true,
      hooks: { onSkippedStale },
    });
    const seen: string[] = [];
    webhooks.onAny((e) => {
      seen.push((e.data as { updated_at: string }).updated_at);
    });
    const newer = user('2026-02-01T00:00:00.000Z');
    const older = user('2026-01-01T00:00:00.000Z');
    const equal = user('2026-02-01T00:00:00Z');
    expect((await webhooks.handle(signedRequest(newer))).status).toBe(200);
    const res = await webhooks.handle(signedRequest(older));
    expect([res.status, bodyOf(res)]).toEqual([200, { status: 'skipped_stale' }]);
    expect(onSkippedStale).toHaveBeenCalledOnce();
    // Completed: the retry of the stale delivery is a duplicate.
    expect(bodyOf(await webhooks.handle(signedRequest(older)))).toEqual({ status: 'duplicate' });
    // Same instant is not older (e.g. a deletion stamped with the last update's time): it runs.
    expect((await webhooks.handle(signedRequest(equal))).status).toBe(200);
    expect(seen).toEqual(['2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00Z']);
    expect((await webhooks.process(user('2025-12-31T00:00:00Z') as never, { source: 'api' })).outcome).toBe(
      'skipped_stale',
    );
  });

  it('different objects do not affect each other; events without id/updated_at are never skipped', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, outOfOrderGuard: true }).onAny(() => {});
    await webhooks.handle(signedRequest(user('2026-02-01T00:00:00Z')));
    const other = makeEvent({
      event: 'dsync.user.updated',
      data: { id: 'directory_user_2', updated_at: '2020-01-01T00:00:00Z' },
    });
    expect(bodyOf(await webhooks.handle(signedRequest(other)))).toEqual({ status: 'processed' });
    const noVersion = makeEvent({ event: 'dsync.user.updated', data: { id: 'directory_user_1' } });
    expect(bodyOf(await webhooks.handle(signedRequest(noVersion)))).toEqual({ status: 'processed' });
  });

  it('a failed handler does not record the version, so its retry is not skipped', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, outOfOrderGuard: true });
    let fail = true;
    webhooks.onAny(() => {
      if (fail) throw new Error('x');
    });
    const event = user('2026-03-01T00:00:00Z');
    expect((await webhooks.handle(signedRequest(event))).status).toBe(500);
    fail = false;
    expect(bodyOf(await webhooks.handle(signedRequest(event)))).toEqual({ status: 'processed' });
  });

  it('uses a custom VersionStore (e.g. over your database)', async () => {
    const calls: string[] = [];
    const map = new Map<string, number>();
    const versions: VersionStore = {
      get: async (id) => {
        calls.push(`get ${id}`);
        return map.get(id);
      },
      setIfNewer: async (id, v) => {
        calls.push(`set ${id}`);
        map.set(id, Math.max(v, map.get(id) ?? 0));
      },
    };
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, outOfOrderGuard: versions }).onAny(() => {});
    await webhooks.handle(signedRequest(user('2026-02-01T00:00:00Z')));
    expect(calls).toEqual(['get directory_user_1', 'set directory_user_1']);
    expect(map.get('directory_user_1')).toBe(Date.parse('2026-02-01T00:00:00Z'));
  });
});

describe('MemoryVersionStore', () => {
  it('keeps the maximum of any sequence of writes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 30 }), (versions) => {
        const store = new MemoryVersionStore();
        for (const v of versions) store.setIfNewer('o', v);
        expect(store.get('o')).toBe(Math.max(...versions));
      }),
    );
  });

  it('is bounded: the least recently written ids are dropped', () => {
    const store = new MemoryVersionStore({ maxEntries: 2 });
    store.setIfNewer('a', 1);
    store.setIfNewer('b', 1);
    store.setIfNewer('a', 2);
    store.setIfNewer('c', 1);
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([2, undefined, 1]);
  });

  it('objectVersionOf needs a string id and a parsable updated_at', () => {
    expect(objectVersionOf({ id: 'x', updated_at: '2026-01-01T00:00:00Z' })).toEqual({
      id: 'x',
      version: Date.parse('2026-01-01T00:00:00Z'),
    });
    expect(objectVersionOf({ id: 'x', updated_at: 'yesterday' })).toBeUndefined();
    expect(objectVersionOf({ id: 1, updated_at: '2026-01-01T00:00:00Z' })).toBeUndefined();
    expect(objectVersionOf(null)).toBeUndefined();
  });
});
