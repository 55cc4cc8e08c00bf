/**
 * @workos-inc/node 12 pointed at the CLI emulator: `listEvents({ workos })` takes its key and base URL, activity made
 * through the SDK shows up, and the differences that make the library worth it with the emulator are pinned: the
 * SDK's own `events.listEvents` gets the emulator's default order (newest first) and no filtering, and its
 * `constructEvent` refuses the emulator's seconds-signed deliveries.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents, verifyWorkOSWebhook } from 'workos-events';
import {
  close,
  type Emulator,
  KNOWN_TYPES,
  listen,
  makeActivity,
  rawEvents,
  recorder,
  registerEndpoint,
  startEmulator,
  waitFor,
} from './emulator.js';

const major = Number(process.versions.node.split('.')[0]);
const minor = Number(process.versions.node.split('.')[1]);
const supported = major > 22 || (major === 22 && minor >= 11);
if (!supported) {
  console.warn(
    `[interop/sdk12] SKIPPED on Node ${process.version}: @workos-inc/node 12 needs Node >= 22.11 (.ci/run runs this leg on Node 22).`,
  );
}

interface Sdk12 {
  key?: string;
  baseURL: string;
  organizations: { createOrganization(o: { name: string }): Promise<{ id: string }> };
  events: {
    listEvents(o: { events: string[]; limit?: number }): Promise<{ data: { id: string; event: string }[] }>;
  };
  webhooks: { constructEvent(o: { payload: unknown; sigHeader: string; secret: string }): Promise<{ id: string }> };
}

let emu: Emulator;
let sdk: Sdk12;
const raw = recorder();
let server: Server;

describe.skipIf(!supported)('@workos-inc/node 12 with the CLI emulator', () => {
  beforeAll(async () => {
    emu = await startEmulator();
    server = raw.server;
    await registerEndpoint(emu, `${await listen(server)}/raw`, 'whsec_interop_sdk');
    const { WorkOS } = (await import('@workos-inc/node')) as unknown as {
      WorkOS: new (key: string, o: { apiHostname: string; port: number; https: boolean }) => Sdk12;
    };
    sdk = new WorkOS(emu.apiKey, { apiHostname: 'localhost', port: emu.port, https: false });
  });

  afterAll(async () => {
    if (server?.listening) await close(server);
    await emu?.close();
  });

  it('listEvents({ workos }) lists what the SDK created, with the key and base URL of the SDK instance', async () => {
    expect(sdk.baseURL).toBe(emu.url);
    const org = await sdk.organizations.createOrganization({ name: 'Made by SDK 12' });
    await makeActivity(emu);
    const expected = (await rawEvents(emu)).filter((e) => (KNOWN_TYPES as readonly string[]).includes(e.event));
    const got: { id: string; event: string; data: unknown }[] = [];
    for await (const event of listEvents({ workos: sdk, events: KNOWN_TYPES })) got.push(event);
    expect(got.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(got[0]).toMatchObject({ event: 'organization.created', data: { id: org.id, name: 'Made by SDK 12' } });
  });

  it("the SDK's own events.listEvents gets newest first and unfiltered from the emulator; ours oldest first, filtered", async () => {
    const all = await rawEvents(emu);
    const page = await sdk.events.listEvents({ events: ['user.created'], limit: 100 });
    expect(page.data.map((e) => e.id)).toEqual(all.map((e) => e.id).reverse());
    const ours: string[] = [];
    for await (const e of listEvents({ workos: sdk, events: ['user.created'] })) ours.push(e.id);
    expect(ours).toEqual(all.filter((e) => e.event === 'user.created').map((e) => e.id));
  });

  it("SDK 12's constructEvent refuses the emulator's seconds-signed deliveries; verifyWorkOSWebhook accepts them", async () => {
    await waitFor(() => raw.deliveries.length > 0, 'a delivery');
    const { signature, body } = raw.deliveries[0]!;
    const refused = await sdk.webhooks
      .constructEvent({ payload: body, sigHeader: signature, secret: 'whsec_interop_sdk' })
      .catch((e: unknown) => e as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/tolerance/);
    const event = await verifyWorkOSWebhook({ payload: body, signature, secret: 'whsec_interop_sdk' });
    expect(event.id).toBe(JSON.parse(body).id);
  });
});
