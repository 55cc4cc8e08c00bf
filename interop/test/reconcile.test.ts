/**
 * `reconcile` against the CLI emulator's Events API, with the same handler that receives its webhooks: nothing new
 * after every delivery arrived, everything with a fresh store, and exactly the missed events when the endpoint was
 * down (the emulator does not retry a failed delivery, so `reconcile` is the only way back for those).
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkOSWebhookHandler, MemoryCursorStore, reconcile, type WorkOSWebhookHandler } from 'workos-events';
import { workosFetchHandler } from 'workos-events/web';
import {
  close,
  type Emulator,
  fetchServer,
  KNOWN_TYPES,
  listen,
  makeActivity,
  type RawEvent,
  rawEvents,
  registerEndpoint,
  startEmulator,
  waitFor,
} from './emulator.js';

const SECRET = 'whsec_interop_reconcile';

function handlerWithLog(): { handler: WorkOSWebhookHandler; ran: string[] } {
  const ran: string[] = [];
  const handler = createWorkOSWebhookHandler({ secret: SECRET });
  handler.on(KNOWN_TYPES, (event, ctx) => {
    ran.push(`${ctx.source} ${event.id}`);
  });
  return { handler, ran };
}

const knownIds = (events: RawEvent[]) =>
  events.filter((e) => (KNOWN_TYPES as readonly string[]).includes(e.event)).map((e) => e.id);

let emu: Emulator;
let server: Server;
const live = handlerWithLog();
let first: string[];

beforeAll(async () => {
  emu = await startEmulator();
  server = fetchServer(workosFetchHandler(live.handler));
  await registerEndpoint(emu, `${await listen(server)}/webhooks/workos`, SECRET);
  await makeActivity(emu, 'one');
  first = knownIds(await rawEvents(emu));
  await waitFor(() => live.ran.length >= first.length, 'the webhook deliveries');
});

afterAll(async () => {
  if (server.listening) await close(server);
  await emu?.close();
});

const connection = () => ({ apiKey: emu.apiKey, baseUrl: emu.url });

describe('reconcile against the CLI emulator', () => {
  it('after every webhook arrived: nothing new, every event already processed', async () => {
    expect(live.ran).toEqual(first.map((id) => `webhook ${id}`));
    const report = await reconcile({ handler: live.handler, since: '1h', ...connection() });
    expect(report).toMatchObject({
      scanned: first.length,
      alreadyProcessed: first.length,
      processedNow: 0,
      failed: [],
      inProgress: 0,
      complete: true,
    });
    expect(live.ran.length).toBe(first.length);
  });

  it('with a fresh store: processes every event once, then nothing on the next run', async () => {
    const fresh = handlerWithLog();
    const report = await reconcile({ handler: fresh.handler, since: '1h', ...connection() });
    expect(report).toMatchObject({ scanned: first.length, processedNow: first.length, alreadyProcessed: 0 });
    expect(fresh.ran).toEqual(first.map((id) => `api ${id}`));
    const again = await reconcile({ handler: fresh.handler, since: '1h', ...connection() });
    expect(again).toMatchObject({ processedNow: 0, alreadyProcessed: first.length });
  });

  it('with a cursor store: a second run reads only what came after', async () => {
    const fresh = handlerWithLog();
    const since = new MemoryCursorStore();
    const report = await reconcile({ handler: fresh.handler, since, ...connection() });
    expect(report.processedNow).toBe(first.length);
    expect(await since.load()).toBe(first[first.length - 1]);
    const again = await reconcile({ handler: fresh.handler, since, ...connection() });
    expect(again).toMatchObject({ scanned: 0, processedNow: 0, complete: true });
  });

  it('deliveries lost while the endpoint was down are exactly what reconcile processes', async () => {
    await close(server);
    await makeActivity(emu, 'two'); // the emulator's deliveries fail: connection refused, never retried
    const missed = knownIds(await rawEvents(emu)).slice(first.length);
    expect(missed.length).toBeGreaterThan(0);
    const report = await reconcile({ handler: live.handler, since: '1h', ...connection() });
    expect(report).toMatchObject({
      scanned: first.length + missed.length,
      alreadyProcessed: first.length,
      processedNow: missed.length,
      failed: [],
    });
    expect(live.ran.slice(first.length)).toEqual(missed.map((id) => `api ${id}`));
  });
});
