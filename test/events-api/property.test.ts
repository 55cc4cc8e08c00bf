import fc from 'fast-check';
import { expect, it } from 'vitest';
import { listEvents, MemoryCursorStore } from '../../src/events-api/index.js';
import type { FakeApiFault } from '../../src/testing/fake-api/index.js';
import { ALL_TYPES, ids, withFake } from './helpers.js';

const fault: fc.Arbitrary<FakeApiFault | null> = fc.oneof(
  fc.constant(null),
  fc.constant(null),
  fc.record({ type: fc.constant('rate_limit' as const) }),
  fc.record({ type: fc.constant('rate_limit' as const), retryAfter: fc.constantFrom(0, '0') }),
  fc.record({ type: fc.constant('rate_limit' as const), body: fc.constant('text' as const) }),
  fc.record({ type: fc.constant('server_error' as const), status: fc.constantFrom(500, 502, 503, 504) }),
  fc.record({ type: fc.constant('reset' as const) }),
  fc.record({ type: fc.constant('truncated' as const) }),
  fc.record({ type: fc.constant('slow' as const), delayMs: fc.integer({ min: 1, max: 60 }) }),
);

it('under any fault schedule and any interruptions: all N events, in order, only the in-flight one repeated per interruption', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 250 }),
      fc.integer({ min: 1, max: 100 }),
      fc.array(fault, { maxLength: 25 }),
      fc.uniqueArray(fc.integer({ min: 1, max: 250 }), { maxLength: 3 }),
      fc.constantFrom<'event' | 'page'>('event', 'page'),
      async (n, limit, schedule, breakAfter, checkpoint) =>
        withFake(
          n,
          async (api) => {
            const store = new MemoryCursorStore();
            const seen: string[] = [];
            const breaks = new Set(breakAfter.filter((b) => b <= n + 3));
            let breaksTaken = 0;
            let finished = false;
            while (!finished) {
              finished = true;
              for await (const e of listEvents({
                events: ALL_TYPES,
                apiKey: api.apiKey,
                baseUrl: api.url,
                limit,
                checkpoint,
                cursorStore: store,
                timeoutMs: 40, // slow faults beyond this become timeouts
                retry: { baseDelayMs: 1, maxDelayMs: 4, maxRetries: 50 },
              })) {
                seen.push(e.id);
                if (breaks.delete(seen.length)) {
                  breaksTaken++;
                  finished = false;
                  break; // interrupted while "processing" e: it was not finished
                }
              }
            }
            const expected = ids(n);
            const position = new Map(expected.map((id, i) => [id, i]));
            let repeats = 0;
            let last = -1;
            for (const id of seen) {
              const p = position.get(id);
              expect(p).toBeDefined();
              if (p === last && checkpoint === 'event') repeats++;
              else if (checkpoint === 'event') expect(p).toBe(last + 1);
              else expect(p as number).toBeLessThanOrEqual(last + 1); // page mode: a resume replays the unfinished page
              last = Math.max(last, p as number);
            }
            expect(last).toBe(n - 1);
            expect(new Set(seen).size).toBe(n);
            if (checkpoint === 'event') expect(repeats).toBeLessThanOrEqual(breaksTaken);
            if (checkpoint === 'event') expect(seen.length).toBe(n + repeats);
          },
          { faults: { schedule } },
        ),
    ),
    { numRuns: 60 },
  );
}, 120_000);
