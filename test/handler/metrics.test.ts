import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkOSWebhookHandler, METRIC_NAMES, type MeterLike } from '../../src/index.js';
import { deferred, makeEvent, SECRET, signedRequest } from './helpers.js';

/** The OTel SDK's pull reader: `collect()` returns what the instruments recorded so far. */
class TestReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

interface Point {
  attributes: Record<string, unknown>;
  value: number | { count: number; sum?: number };
}

async function collect(reader: TestReader): Promise<Map<string, Point[]>> {
  const { resourceMetrics } = await reader.collect();
  const out = new Map<string, Point[]>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      out.set(metric.descriptor.name, metric.dataPoints as unknown as Point[]);
    }
  }
  return out;
}

function sdk() {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  return { reader, provider, meter: provider.getMeter('workos-events') };
}

afterEach(() => {
  metrics.disable();
});

describe('OpenTelemetry metrics (real SDK, in-memory reader)', () => {
  it('deliveries by outcome, source and event type; processing duration; event lag', async () => {
    const { reader, meter } = sdk();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, meter });
    webhooks.on('dsync.user.created', () => {});
    const event = makeEvent({ event: 'dsync.user.created' });
    await webhooks.handle(signedRequest(event));
    await webhooks.handle(signedRequest(event)); // duplicate
    await webhooks.handle(signedRequest(makeEvent({ event: 'user.created', data: { id: 'user_1' } }))); // ignored
    await webhooks.process(makeEvent() as never, { source: 'api' });
    const got = await collect(reader);
    const deliveries = got.get(METRIC_NAMES.deliveries)!;
    const count = (attrs: Record<string, unknown>) =>
      deliveries
        .filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v))
        .reduce((n, p) => n + (p.value as number), 0);
    expect(count({ outcome: 'processed', source: 'webhook', event_type: 'dsync.user.created' })).toBe(1);
    expect(count({ outcome: 'duplicate', source: 'webhook' })).toBe(1);
    expect(count({ outcome: 'ignored', event_type: 'user.created' })).toBe(1);
    expect(count({ outcome: 'processed', source: 'api' })).toBe(1);
    const duration = got.get(METRIC_NAMES.duration)!;
    expect(duration.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(3); // processed ×2 + ignored
    const lag = got.get(METRIC_NAMES.lag)!;
    expect(lag.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(4); // every event received
  });

  it('rejections by code, retries and dead letters of acknowledged events', async () => {
    const { reader, meter } = sdk();
    const webhooks = createWorkOSWebhookHandler({
      secret: SECRET,
      meter,
      mode: 'background',
      retry: { attempts: 2, backoffMs: 1 },
    });
    webhooks.onAny(() => {
      throw new Error('permanent');
    });
    await webhooks.handle({ method: 'GET', headers: {}, rawBody: null });
    await webhooks.handle({ ...signedRequest(makeEvent()), headers: { 'workos-signature': 't=1, v1=00' } });
    await webhooks.handle(signedRequest(makeEvent()));
    await webhooks.drain();
    const got = await collect(reader);
    const codes = got.get(METRIC_NAMES.rejections)!.map((p) => [p.attributes.code, p.value]);
    expect(codes).toContainEqual(['method_not_allowed', 1]);
    expect(
      codes.some(
        ([code]) => code === 'timestamp_too_old' || code === 'malformed_signature' || code === 'signature_mismatch',
      ),
    ).toBe(true);
    expect(got.get(METRIC_NAMES.retries)!.map((p) => p.value)).toEqual([1]);
    expect(got.get(METRIC_NAMES.deadLetters)!.map((p) => p.value)).toEqual([1]);
  });

  it('queue depth of background mode is observed', async () => {
    const { reader, meter } = sdk();
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET, meter, mode: 'background', concurrency: 1 });
    const gate = deferred();
    webhooks.onAny(() => gate.promise);
    for (let i = 0; i < 3; i++) await webhooks.handle(signedRequest(makeEvent()));
    const depth = (await collect(reader)).get(METRIC_NAMES.queueDepth)!;
    expect(depth.map((p) => p.value)).toEqual([3]);
    gate.resolve();
    await webhooks.drain();
    expect((await collect(reader)).get(METRIC_NAMES.queueDepth)!.map((p) => p.value)).toEqual([0]);
  });

  it('finds the globally registered meter provider without importing @opentelemetry/api; meter: false opts out', async () => {
    const { reader, provider } = sdk();
    metrics.setGlobalMeterProvider(provider);
    const webhooks = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    await webhooks.handle(signedRequest(makeEvent()));
    const off = createWorkOSWebhookHandler({ secret: SECRET, meter: false }).onAny(() => {});
    await off.handle(signedRequest(makeEvent()));
    const deliveries = (await collect(reader)).get(METRIC_NAMES.deliveries)!;
    expect(deliveries.reduce((n, p) => n + (p.value as number), 0)).toBe(1);
  });

  it('no meter anywhere: no instrument is created and nothing breaks; a throwing meter never changes an answer', async () => {
    const created: string[] = [];
    const throwing: MeterLike = {
      createCounter: (name) => {
        created.push(name);
        return {
          add: () => {
            throw new Error('meter broke');
          },
        };
      },
      createHistogram: (name) => {
        created.push(name);
        return {
          record: () => {
            throw new Error('meter broke');
          },
        };
      },
      createObservableGauge: (name) => {
        created.push(name);
        return { addCallback: () => {} };
      },
    };
    const plain = createWorkOSWebhookHandler({ secret: SECRET }).onAny(() => {});
    expect((await plain.handle(signedRequest(makeEvent()))).status).toBe(200);
    expect(created).toEqual([]);
    const broken = createWorkOSWebhookHandler({ secret: SECRET, meter: throwing }).onAny(() => {});
    expect((await broken.handle(signedRequest(makeEvent()))).status).toBe(200);
    expect(created.length).toBeGreaterThan(0);
  });

  it('a real @opentelemetry/api Meter is assignable to MeterLike', () => {
    const real: MeterLike = metrics.getMeter('workos-events');
    expect(typeof real.createCounter).toBe('function');
  });
});
