/**
 * Webhooks from WorkOS's CLI emulator (signed `t=<seconds>,v1=…`) through every adapter: Express, Fastify, the Fetch
 * handler (`workos-events/web`) and the Next.js route handler, each behind a real HTTP server with its own endpoint
 * and secret registered through the emulator's API.
 */

import type { Server } from 'node:http';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkOSWebhookHandler,
  verifyWorkOSWebhook,
  type WebhookRejectionCode,
  type WorkOSWebhookHandler,
} from 'workos-events';
import { workosWebhook } from 'workos-events/express';
import { workosWebhookPlugin } from 'workos-events/fastify';
import { workosRouteHandler } from 'workos-events/next';
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
  recorder,
  registerEndpoint,
  startEmulator,
  UNKNOWN_TYPE,
  waitFor,
} from './emulator.js';

interface Receiver {
  name: string;
  secret: string;
  handler: WorkOSWebhookHandler;
  /** `type id` of every event a listener ran for, in arrival order. */
  handled: string[];
  rejected: WebhookRejectionCode[];
  /** HTTP statuses of refused requests. */
  statuses: number[];
}

function receiver(name: string, secret: string): Receiver {
  const handled: string[] = [];
  const rejected: WebhookRejectionCode[] = [];
  const statuses: number[] = [];
  const handler = createWorkOSWebhookHandler({
    secret,
    hooks: {
      onRejected: (code, info) => {
        rejected.push(code);
        if (info.status !== undefined) statuses.push(info.status);
      },
    },
  });
  handler.on(KNOWN_TYPES, (event) => {
    handled.push(`${event.event} ${event.id}`);
  });
  handler.onUnknown((event) => {
    handled.push(`${event.event} ${event.id}`);
  });
  return { name, secret, handler, handled, rejected, statuses };
}

let emu: Emulator;
let events: RawEvent[];
const servers: Server[] = [];
let fastify: FastifyInstance;
const receivers: Receiver[] = [];
const forged = receiver('wrong secret', 'whsec_not_the_endpoint_secret');
const raw = recorder();

beforeAll(async () => {
  emu = await startEmulator();

  const viaExpress = receiver('express', 'whsec_interop_express');
  const app = express();
  app.post('/webhooks/workos', workosWebhook(viaExpress.handler));
  app.use(express.json()); // the rest of an app parses JSON; the webhook route above still gets raw bytes
  const expressServer = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => expressServer.once('listening', resolve));
  servers.push(expressServer);
  const { port } = expressServer.address() as { port: number };

  const viaFastify = receiver('fastify', 'whsec_interop_fastify');
  fastify = Fastify();
  await fastify.register(workosWebhookPlugin, { handler: viaFastify.handler, path: '/webhooks/workos' });
  const fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });

  const viaWeb = receiver('web (Fetch)', 'whsec_interop_web');
  const webServer = fetchServer(workosFetchHandler(viaWeb.handler));
  servers.push(webServer);
  const viaNext = receiver('next (route handler)', 'whsec_interop_next');
  const nextServer = fetchServer(workosRouteHandler(viaNext.handler));
  servers.push(nextServer);
  const forgedServer = fetchServer(workosFetchHandler(forged.handler));
  servers.push(forgedServer, raw.server);

  receivers.push(viaExpress, viaFastify, viaWeb, viaNext);
  await registerEndpoint(emu, `http://127.0.0.1:${port}/webhooks/workos`, viaExpress.secret);
  await registerEndpoint(emu, `${fastifyUrl}/webhooks/workos`, viaFastify.secret);
  await registerEndpoint(emu, `${await listen(webServer)}/webhooks/workos`, viaWeb.secret);
  await registerEndpoint(emu, `${await listen(nextServer)}/webhooks/workos`, viaNext.secret);
  // An endpoint whose secret differs from the one its handler holds: every delivery must be refused.
  await registerEndpoint(emu, `${await listen(forgedServer)}/webhooks/workos`, 'whsec_the_real_one');
  await registerEndpoint(emu, `${await listen(raw.server)}/raw`, 'whsec_recorder');

  await makeActivity(emu);
  events = await rawEvents(emu);
  const total = events.length;
  await waitFor(
    () =>
      receivers.every((r) => r.handled.length >= total) &&
      forged.rejected.length >= total &&
      raw.deliveries.length >= total,
    `${total} deliveries at every endpoint`,
  );
});

afterAll(async () => {
  await fastify?.close();
  await Promise.all(servers.map((s) => (s.listening ? close(s) : undefined)));
  await emu?.close();
});

describe('webhooks from the WorkOS CLI emulator', () => {
  it('the activity produced the expected event types (the oracle: its own GET /events)', () => {
    const types = new Set(events.map((e) => e.event));
    for (const type of [...KNOWN_TYPES, UNKNOWN_TYPE]) expect(types, type).toContain(type);
  });

  it('signs t in seconds, which workos-events reads by default', async () => {
    for (const { signature, body } of raw.deliveries) {
      const t = Number(/^t=(\d+),/.exec(signature)?.[1]);
      expect(t).toBeLessThan(1e11);
      expect(Math.abs(t * 1000 - Date.now())).toBeLessThan(120_000);
      const event = await verifyWorkOSWebhook({ payload: body, signature, secret: 'whsec_recorder' });
      expect(events.map((e) => e.id)).toContain(event.id);
      const strict = await verifyWorkOSWebhook({
        payload: body,
        signature,
        secret: 'whsec_recorder',
        timestampUnit: 'ms',
      }).catch((e: unknown) => e as { code: string; message: string });
      expect(strict).toMatchObject({ code: 'timestamp_too_old' });
      expect((strict as { message: string }).message).toContain('looks like seconds');
    }
  });

  it.each(['express', 'fastify', 'web (Fetch)', 'next (route handler)'])(
    '%s: every delivery verified and handled once, none refused',
    (name) => {
      const r = receivers.find((x) => x.name === name)!;
      expect(r.rejected).toEqual([]);
      expect([...r.handled].sort()).toEqual(events.map((e) => `${e.event} ${e.id}`).sort());
      expect(new Set(r.handled).size).toBe(r.handled.length);
      expect(r.statuses).toEqual([]);
    },
  );

  it('an endpoint whose handler holds another secret refuses every delivery (401 signature_mismatch)', () => {
    expect(forged.handled).toEqual([]);
    expect(forged.rejected).toEqual(events.map(() => 'signature_mismatch'));
    expect(new Set(forged.statuses)).toEqual(new Set([401]));
  });
});
