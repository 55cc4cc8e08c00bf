import { trace } from '@opentelemetry/api';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkOSWebhookHandler, type SpanLike, type TracerLike } from '../../src/index.js';
import { makeEvent, recordingLogger, SECRET, sign, signedRequest } from './helpers.js';

function pinoCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    {
      write: (chunk: string) => {
        lines.push(JSON.parse(chunk) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}

interface RecordedSpan {
  name: string;
  attributes: Record<string, unknown>;
  status?: { code: number };
  exceptions: unknown[];
  ended: boolean;
}

function recordingTracer(): TracerLike & { spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  return {
    spans,
    startSpan(name, options) {
      const rec: RecordedSpan = { name, attributes: { ...options?.attributes }, exceptions: [], ended: false };
      spans.push(rec);
      const span: SpanLike = {
        setAttribute: (k, v) => {
          rec.attributes[k] = v;
          return span;
        },
        setStatus: (s) => {
          rec.status = s;
          return span;
        },
        recordException: (e) => {
          rec.exceptions.push(e);
        },
        end: () => {
          rec.ended = true;
        },
      };
      return span;
    },
  };
}

describe('logging', () => {
  it('pino gets searchable fields (source workos, event_type, event_id, organization_id) and never the payload or secret', async () => {
    const { logger, lines } = pinoCapture();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, logger });
    webhooks.onAny(() => {});
    const event = makeEvent();
    await webhooks.handle(signedRequest(event));
    await webhooks.handle(signedRequest(event));
    await webhooks.handle({
      method: 'POST',
      headers: { 'workos-signature': 't=1, v1=00' },
      rawBody: JSON.stringify(event),
    });
    const processed = lines.find((l) => l.msg === 'WorkOS event processed');
    expect(processed).toMatchObject({
      source: 'workos',
      event_type: 'dsync.user.created',
      event_id: event.id,
      organization_id: 'org_01EZTR6WYX1A0DSE2CYMGXQ24Y',
      channel: 'webhook',
    });
    expect(typeof processed?.duration_ms).toBe('number');
    expect(lines.some((l) => l.msg === 'WorkOS event already processed: skipped')).toBe(true);
    expect(lines.find((l) => l.msg === 'WorkOS webhook rejected')).toMatchObject({
      code: 'malformed_signature',
      status: 401,
      level: 40,
    });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('secret-pii@example.com');
    expect(all).not.toContain(SECRET);
  });

  it('a failing listener is logged at error level with the error (pino serializes err)', async () => {
    const { logger, lines } = pinoCapture();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, logger });
    webhooks.onAny(() => {
      throw new TypeError('bad thing');
    });
    await webhooks.handle(signedRequest(makeEvent()));
    const failed = lines.find((l) => l.level === 50);
    expect(failed?.msg).toContain('claim released');
    expect(failed?.err).toMatchObject({ message: 'bad thing', type: 'TypeError' });
  });

  it('body_already_parsed is logged at error level with the fix', async () => {
    const logger = recordingLogger();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, logger });
    await webhooks.handle({ method: 'POST', headers: {}, rawBody: null, bodyError: 'body_already_parsed' });
    const line = logger.lines.find((l) => l.level === 'error');
    expect(line?.msg).toContain('express.raw');
    expect(line?.obj).toMatchObject({ code: 'body_already_parsed', status: 500 });
  });

  it('organization_id comes from organization.* events data.id', async () => {
    const logger = recordingLogger();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, logger }).onAny(() => {});
    await webhooks.handle(
      signedRequest(makeEvent({ event: 'organization.updated', data: { id: 'org_9', object: 'organization' } })),
    );
    expect(logger.lines.find((l) => l.msg === 'WorkOS event processed')?.obj.organization_id).toBe('org_9');
  });

  it('a logger or hook that throws never changes the response', async () => {
    const boom = () => {
      throw new Error('broken');
    };
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      logger: { info: boom, warn: boom, error: boom, debug: boom },
      hooks: { onVerified: boom, onProcessed: boom, onRejected: boom },
    }).onAny(() => {});
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
    expect((await webhooks.handle({ method: 'GET', headers: {}, rawBody: null })).status).toBe(405);
  });
});

describe('hooks', () => {
  it('are called with the event and timing, in pipeline order', async () => {
    const calls: string[] = [];
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      hooks: {
        onVerified: (e, info) => calls.push(`verified ${e.event} ${info.source}`),
        onDuplicate: (e) => calls.push(`duplicate ${e.event}`),
        onProcessed: (_e, ms) => calls.push(`processed ${typeof ms}`),
        onFailed: (_e, err) => calls.push(`failed ${(err as Error).message}`),
        onRejected: (code, info) => calls.push(`rejected ${code} ${info.status}`),
        onInProgress: () => calls.push('in_progress'),
      },
    });
    let fail = false;
    webhooks.onAny(() => {
      if (fail) throw new Error('nope');
    });
    const event = makeEvent();
    await webhooks.handle(signedRequest(event));
    await webhooks.handle(signedRequest(event));
    fail = true;
    await webhooks.handle(signedRequest(makeEvent()));
    const body = JSON.stringify(makeEvent());
    await webhooks.handle({
      method: 'POST',
      headers: { 'workos-signature': sign(body, { secret: 'x' }) },
      rawBody: body,
    });
    expect(calls).toEqual([
      'verified dsync.user.created webhook',
      'processed number',
      'verified dsync.user.created webhook',
      'duplicate dsync.user.created',
      'verified dsync.user.created webhook',
      'failed nope',
      'rejected signature_mismatch 401',
    ]);
  });
});

describe('OpenTelemetry', () => {
  afterEach(() => {
    trace.disable();
  });

  it('an explicit tracer gets a request span and a processing span with event attributes', async () => {
    const tracer = recordingTracer();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, tracer }).onAny(() => {});
    const event = makeEvent();
    await webhooks.handle(signedRequest(event));
    expect(tracer.spans.map((s) => s.name)).toEqual(['workos.webhook', 'workos.event.process']);
    expect(tracer.spans.every((s) => s.ended)).toBe(true);
    expect(tracer.spans[0]!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'workos.event.type': 'dsync.user.created',
      'workos.event.id': event.id,
    });
    expect(tracer.spans[1]!.attributes).toMatchObject({ 'workos.outcome': 'processed', 'workos.source': 'webhook' });
  });

  it('a failing listener marks the processing span as error with the exception', async () => {
    const tracer = recordingTracer();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, tracer });
    webhooks.onAny(() => {
      throw new Error('kaput');
    });
    await webhooks.handle(signedRequest(makeEvent()));
    const span = tracer.spans.find((s) => s.name === 'workos.event.process')!;
    expect(span.status?.code).toBe(2);
    expect((span.exceptions[0] as Error).message).toBe('kaput');
  });

  it('uses the globally registered provider of @opentelemetry/api without importing it; tracer: false opts out', async () => {
    const tracer = recordingTracer();
    const names: string[] = [];
    trace.setGlobalTracerProvider({
      getTracer: (name: string) => {
        names.push(name);
        return tracer as never;
      },
    });
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    await webhooks.handle(signedRequest(makeEvent()));
    expect(names).toContain('workos-events');
    expect(tracer.spans.map((s) => s.name)).toContain('workos.webhook');
    const off = createWorkOSWebhookHandler({ secret: SECRET, tracer: false });
    const before = tracer.spans.length;
    await off.handle(signedRequest(makeEvent()));
    expect(tracer.spans.length).toBe(before);
  });

  it('without a registered provider no spans are made and nothing breaks', async () => {
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    expect((await webhooks.handle(signedRequest(makeEvent()))).status).toBe(200);
  });

  it('a real @opentelemetry/api Tracer is assignable to TracerLike', () => {
    const real: TracerLike = trace.getTracer('workos-events');
    expect(typeof real.startSpan).toBe('function');
  });
});
