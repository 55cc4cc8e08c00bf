import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isKnownWorkOSEventName, WORKOS_EVENT_NAMES } from '../../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const specPath = path.resolve(here, '../../../shared/reference/workos-openapi-spec-0.61.0.yaml');
const overlayPath = path.resolve(here, '../../scripts/events-overlay/workos-node-12.3.0.yaml');
if (!existsSync(specPath) && process.env.CI !== 'true') {
  console.warn(`[test/events/names] SKIPPED the spec comparison: ${specPath} is missing (CI requires it).`);
}

describe('WORKOS_EVENT_NAMES', () => {
  it('is sorted, unique and has 136 types (111 of spec 0.61.0, 25 from the SDK 12.3.0 overlay)', () => {
    expect(WORKOS_EVENT_NAMES).toHaveLength(136);
    expect(new Set(WORKOS_EVENT_NAMES).size).toBe(136);
    expect([...WORKOS_EVENT_NAMES]).toEqual([...WORKOS_EVENT_NAMES].sort());
    for (const n of [
      'dsync.user.created',
      'agent.registration.claim.attempt.created',
      'vault.kek.deleted',
      'agent.blueprint.created',
      'feature_flags.flag_target.deleted',
      'vault.dek.rekeyed',
    ]) {
      expect(isKnownWorkOSEventName(n)).toBe(true);
    }
    expect(isKnownWorkOSEventName('no.such_event')).toBe(false);
  });

  it.runIf(existsSync(specPath) || process.env.CI === 'true')('contains every event type of the spec', () => {
    const spec = parse(readFileSync(specPath, 'utf8')) as {
      components: {
        schemas: { EventSchema: { allOf: [unknown, { oneOf: Array<{ properties: { event: { const: string } } }> }] } };
      };
    };
    const specNames = spec.components.schemas.EventSchema.allOf[1].oneOf.map((v) => v.properties.event.const);
    const missing = specNames.filter((n) => !(WORKOS_EVENT_NAMES as readonly string[]).includes(n));
    expect(missing).toEqual([]);
    // Everything else comes from the overlay, and the overlay adds only what the spec lacks.
    const overlay = parse(readFileSync(overlayPath, 'utf8')) as { events: Record<string, unknown> };
    const overlayNames = Object.keys(overlay.events);
    expect(overlayNames).toHaveLength(25);
    expect(overlayNames.filter((n) => specNames.includes(n))).toEqual([]);
    expect([...WORKOS_EVENT_NAMES]).toEqual([...specNames, ...overlayNames].sort());
  });
});
