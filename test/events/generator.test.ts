import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const realSpec = path.resolve(root, '../shared/reference/workos-openapi-spec-0.61.0.yaml');
if (!existsSync(realSpec) && process.env.CI !== 'true') {
  console.warn(`[test/events/generator] SKIPPED the drift check: ${realSpec} is missing (CI requires it).`);
}
const work = path.join(root, '.tmp', `generator-test-${process.pid}`);
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const FILES = [
  'src/events/generated/names.ts',
  'src/events/generated/types.ts',
  'src/events/generated/schemas.ts',
  'src/events/generated/examples.ts',
  'docs/events.md',
];

function generate(spec: string, out: string, overlay?: string): void {
  const args = [tsx, path.join(root, 'scripts/generate-events.ts'), '--spec', spec, '--out', out];
  if (overlay) args.push('--overlay', overlay);
  execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe' });
}

/** The generator's stderr when it refuses its inputs. */
function generateError(spec: string, out: string, overlay: string): string {
  try {
    generate(spec, out, overlay);
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr);
  }
  throw new Error('the generator accepted inputs it should refuse');
}

/** A directory holding one overlay file. */
function overlayDir(name: string, yaml: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'extra.yaml'), yaml);
  return dir;
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

// A tiny spec with the constructs the real one uses: enum, const, nullable, date-time, oneOf, $ref, records,
// maxLength/maxProperties, a required context; events listed out of order.
const SYNTHETIC = `
openapi: 3.1.1
info: { version: '1.0' }
components:
  schemas:
    Widget:
      type: object
      properties:
        object: { type: string, const: widget }
        id: { type: string, example: widget_01EHZNVPK3SFK441A1RGBFSHRT }
        color: { type: string, enum: [red, blue] }
      required: [object, id, color]
    EventSchema:
      allOf:
        - type: object
          properties: { id: { type: string } }
        - oneOf:
            - type: object
              properties:
                id: { type: string }
                event: { type: string, const: zeta.widget.changed }
                data:
                  type: object
                  properties:
                    widget: { $ref: '#/components/schemas/Widget' }
                    note: { type: [string, 'null'], example: hello }
                    changed_at: { type: string, format: date-time }
                    labels:
                      type: object
                      additionalProperties: { type: string, maxLength: 5 }
                      propertyNames: { maxLength: 3 }
                      maxProperties: 2
                    owner:
                      oneOf:
                        - { type: object, properties: { kind: { type: string, const: user } }, required: [kind] }
                        - { type: 'null' }
                    count: { type: integer, example: 3 }
                  required: [widget, note, changed_at, owner]
                created_at: { type: string, format: date-time }
                object: { type: string, const: event }
              required: [id, event, data, created_at, object]
            - type: object
              properties:
                id: { type: string }
                event: { type: string, const: alpha.created }
                data: { type: object, properties: { id: { type: string } }, required: [id] }
                context:
                  type: object
                  properties: { client_id: { type: string } }
                  required: [client_id]
                created_at: { type: string }
                object: { type: string, const: event }
              required: [id, event, data, created_at, object, context]
`;

// An overlay with the constructs the real one uses: a component of its own, a $ref to a spec component, a oneOf
// data, a required context.
const OVERLAY = `
source: 'test-sdk 1.2.3'
events:
  beta.gadget.made:
    properties:
      data:
        oneOf:
          - { $ref: '#/components/schemas/Gadget' }
          - { $ref: '#/components/schemas/Widget' }
      context: { $ref: '#/components/schemas/Gadget' }
    required: [data]
  beta.gadget.gone:
    properties:
      data: { $ref: '#/components/schemas/Gadget' }
      context: { $ref: '#/components/schemas/Gadget' }
    required: [data, context]
components:
  schemas:
    Gadget:
      type: object
      properties:
        object: { type: string, const: gadget }
        id: { type: string, example: gadget_1 }
        size: { type: integer, example: 2 }
      required: [object, id]
`;

describe('scripts/generate-events.ts', () => {
  it.runIf(existsSync(realSpec) || process.env.CI === 'true')(
    'regenerating from the 0.61.0 spec reproduces the committed files byte for byte',
    () => {
      const out = path.join(work, 'real');
      generate(realSpec, out);
      for (const file of FILES) {
        expect(readFileSync(path.join(out, file), 'utf8'), file).toBe(readFileSync(path.join(root, file), 'utf8'));
      }
    },
  );

  it('turns each spec construct into the expected types, schemas and docs, deterministically', async () => {
    const spec = path.join(work, 'workos-openapi-spec-9.9.9.yaml');
    mkdirSync(work, { recursive: true });
    writeFileSync(spec, SYNTHETIC);
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    const noOverlay = path.join(work, 'no-overlay');
    generate(spec, a, noOverlay);
    generate(spec, b, noOverlay);
    for (const file of FILES)
      expect(readFileSync(path.join(a, file), 'utf8')).toBe(readFileSync(path.join(b, file), 'utf8'));

    const read = (f: string) => readFileSync(path.join(a, f), 'utf8');
    expect(read(FILES[0]!)).toContain('spec 9.9.9 (2 types)');
    expect(read(FILES[0]!).indexOf('"alpha.created"')).toBeLessThan(read(FILES[0]!).indexOf('"zeta.widget.changed"'));
    const types = read(FILES[1]!);
    expect(types).toContain('Do not edit by hand');
    expect(types).toContain('color: "red" | "blue" | (string & {});');
    expect(types).toContain('note: string | null;');
    expect(types).toContain('labels?: Record<string, string>;');
    expect(types).toMatch(/owner: \{\n\s+kind: "user";\n\s+\} \| null;/);
    expect(types).toContain('widget: WorkOSWidget;');
    expect(types).toContain('context: {');
    expect(types).toContain('export type ZetaWidgetChangedEvent = {');
    expect(read(FILES[4]!)).toContain('| `alpha.created` (requires `context`) | `AlphaCreatedEvent` | — | **id** |');

    // The generated factories run: spec kit = exact, open kit = lenient.
    mkdirSync(path.join(a, 'src/events'), { recursive: true });
    copyFileSync(path.join(root, 'src/events/kit.ts'), path.join(a, 'src/events/kit.ts'));
    const { rawEventSchemaFactories } = (await import(
      pathToFileURL(path.join(a, 'src/events/generated/schemas.ts')).href
    )) as { rawEventSchemaFactories: Record<string, (k: unknown) => z.ZodType> };
    const { specKit, openKit } = await import('../../src/events/kit.js');
    const { specExampleEvents } = (await import(
      pathToFileURL(path.join(a, 'src/events/generated/examples.ts')).href
    )) as {
      specExampleEvents: Record<string, Record<string, unknown>>;
    };
    const zeta = specExampleEvents['zeta.widget.changed']!;
    expect(zeta.data).toEqual({
      widget: { object: 'widget', id: 'widget_01EHZNVPK3SFK441A1RGBFSHRT', color: 'red' },
      note: 'hello',
      changed_at: '2026-01-15T12:00:00.000Z',
      labels: {},
      owner: { kind: 'user' },
      count: 3,
    });
    const strict = rawEventSchemaFactories['zeta.widget.changed']!(specKit);
    const open = rawEventSchemaFactories['zeta.widget.changed']!(openKit);
    expect(strict.safeParse(zeta).success).toBe(true);
    const drifted = {
      ...zeta,
      data: { ...(zeta.data as object), widget: { object: 'widget', id: 'w', color: 'green' } },
    };
    expect(strict.safeParse(drifted).success).toBe(false);
    expect(open.safeParse(drifted).success).toBe(true);
    const tooMany = { ...zeta, data: { ...(zeta.data as object), labels: { a: 'x', b: 'y', c: 'z' } } };
    expect(strict.safeParse(tooMany).success).toBe(false);
    expect(strict.safeParse({ ...zeta, data: { ...(zeta.data as object), labels: { long: 'x' } } }).success).toBe(
      false,
    );
    expect(
      rawEventSchemaFactories['alpha.created']!(specKit).safeParse(specExampleEvents['alpha.created']).success,
    ).toBe(true);
    const { context: _dropped, ...noContext } = specExampleEvents['alpha.created']!;
    expect(rawEventSchemaFactories['alpha.created']!(specKit).safeParse(noContext).success).toBe(false);
  });

  it('adds overlay event types next to the spec ones, marked with their source everywhere', async () => {
    const spec = path.join(work, 'workos-openapi-spec-9.9.9.yaml');
    mkdirSync(work, { recursive: true });
    writeFileSync(spec, SYNTHETIC);
    const overlay = overlayDir('overlay-ok', OVERLAY);
    const out = path.join(work, 'with-overlay');
    generate(spec, out, overlay);
    const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
    const names = read(FILES[0]!);
    expect(names).toContain('Every event type the library knows (4): the 2 of the WorkOS spec 9.9.9 and 2 it lacks');
    // Sorted together with the spec's types.
    expect(names.indexOf('"alpha.created"')).toBeLessThan(names.indexOf('"beta.gadget.made"'));
    expect(names.indexOf('"beta.gadget.made"')).toBeLessThan(names.indexOf('"zeta.widget.changed"'));
    const types = read(FILES[1]!);
    expect(types).toContain('from the WorkOS OpenAPI spec 9.9.9 and');
    expect(types).toContain('The `Gadget` object, as sent on the wire. From test-sdk 1.2.3');
    expect(types).toContain('data: BetaGadgetMadeData;');
    expect(types).toContain('export type BetaGadgetMadeData = WorkOSGadget | WorkOSWidget;');
    // The overlay may use the spec's components; a required context comes through.
    expect(types).toMatch(/export type BetaGadgetGoneEvent = \{[^}]*context: WorkOSGadget;/s);
    const docs = read(FILES[4]!);
    expect(docs).toContain('Generated from the WorkOS OpenAPI spec 9.9.9 (2 types) and');
    expect(docs).toContain('(2 types the spec lacks, written from the wire declarations of test-sdk 1.2.3)');
    expect(docs).toMatch(/\| `beta.gadget.made` \| `BetaGadgetMadeEvent` \| — \| .* \| test-sdk 1.2.3 \|/);
    expect(docs).toContain('| `alpha.created` (requires `context`) | `AlphaCreatedEvent` | — | **id** | spec 9.9.9 |');
    // A oneOf data: fields are the union, required only where every branch requires them.
    expect(docs).toContain('**object**, **id**, size, color');

    mkdirSync(path.join(out, 'src/events'), { recursive: true });
    copyFileSync(path.join(root, 'src/events/kit.ts'), path.join(out, 'src/events/kit.ts'));
    const { rawEventSchemaFactories } = (await import(
      pathToFileURL(path.join(out, 'src/events/generated/schemas.ts')).href
    )) as { rawEventSchemaFactories: Record<string, (k: unknown) => z.ZodType> };
    const { specExampleEvents } = (await import(
      pathToFileURL(path.join(out, 'src/events/generated/examples.ts')).href
    )) as { specExampleEvents: Record<string, Record<string, unknown>> };
    const { specKit } = await import('../../src/events/kit.js');
    const made = rawEventSchemaFactories['beta.gadget.made']!(specKit);
    expect(specExampleEvents['beta.gadget.made']!.data).toEqual({ object: 'gadget', id: 'gadget_1', size: 2 });
    expect(made.safeParse(specExampleEvents['beta.gadget.made']).success).toBe(true);
    const bad = { ...specExampleEvents['beta.gadget.made']!, data: { object: 'gadget', id: 'g', size: 'big' } };
    expect(made.safeParse(bad).success).toBe(false);
    const gone = rawEventSchemaFactories['beta.gadget.gone']!(specKit);
    const { context: _c, ...noContext } = specExampleEvents['beta.gadget.gone']!;
    expect(gone.safeParse(specExampleEvents['beta.gadget.gone']).success).toBe(true);
    expect(gone.safeParse(noContext).success).toBe(false);
  });

  it.each([
    [
      'an event the spec already has',
      OVERLAY.replace('beta.gadget.gone:', 'alpha.created:'),
      /alpha.created is in the spec now/,
    ],
    [
      'a component name the spec uses',
      OVERLAY.replace('    Gadget:', '    Widget:'),
      /component Widget is already defined/,
    ],
    [
      'an unresolved $ref',
      OVERLAY.replace("schemas/Gadget' }\n      context", "schemas/Gizmo' }\n      context"),
      /unresolved \$ref/,
    ],
    ['no source', OVERLAY.replace("source: 'test-sdk 1.2.3'", ''), /needs a `source`/],
    [
      'a key the generator would ignore',
      OVERLAY.replace('    required: [data, context]', '    required: [data, context]\n    description: x'),
      /unsupported keys description/,
    ],
    [
      'a property other than data and context',
      OVERLAY.replace('      context: {', '      metadata: {'),
      /unsupported properties metadata/,
    ],
    [
      'a non-object component',
      OVERLAY.replace(
        '    Gadget:\n      type: object',
        '    Gadget:\n      type: string\n    Unused:\n      type: object',
      ),
      /component Gadget must be an object schema/,
    ],
  ])('refuses an overlay with %s', (_what, yaml, message) => {
    const spec = path.join(work, 'workos-openapi-spec-9.9.9.yaml');
    mkdirSync(work, { recursive: true });
    writeFileSync(spec, SYNTHETIC);
    const dir = overlayDir(`overlay-bad-${_what.replace(/\W+/g, '-')}`, yaml);
    expect(generateError(spec, path.join(work, 'bad-out'), dir)).toMatch(message);
  });
});
