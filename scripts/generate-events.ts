/**
 * `npm run generate:events [-- --spec <path>] [--overlay <dir>] [--out <dir>]`: reads the WorkOS OpenAPI spec and
 * the overlay files for the event types the spec lacks (scripts/events-overlay/*.yaml, see scripts/event-sources.ts)
 * and writes `src/events/generated/` (names, TS interfaces, lazy zod schema factories, spec-example events) and
 * `docs/events.md`. The output is deterministic (sorted by event name, no timestamps) so CI can regenerate it and
 * fail on any diff. Nothing in `generated/` is edited by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { byCodePoint, type EventSource, loadEventSources, type Schema } from './event-sources.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const specPath = path.resolve(
  argValue('--spec') ?? path.resolve(root, '../shared/reference/workos-openapi-spec-0.61.0.yaml'),
);
const overlayDir = path.resolve(argValue('--overlay') ?? path.join(root, 'scripts/events-overlay'));
const sources = loadEventSources({ specPath, overlayDir, root });
const { specVersion, components, componentSource, variants } = sources;

// ---------------------------------------------------------------- naming

const COMPONENT_NAMES: Record<string, string> = {
  EventContextDto: 'WorkOSEventContextFields',
  EventContextActorDto: 'WorkOSEventActor',
};
const componentTypeName = (ref: string): string => COMPONENT_NAMES[ref] ?? `WorkOS${ref}`;
const componentFactoryName = (ref: string): string => `c${ref}`;
const refName = (ref: string): string => ref.split('/').pop() ?? ref;
const pascal = (name: string): string =>
  name
    .split(/[._]/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const lit = (v: unknown): string => JSON.stringify(v);

const usedComponents = new Set<string>();

function resolve(node: Schema): Schema {
  return node.$ref ? (components[refName(node.$ref)] as Schema) : node;
}

function typesOf(node: Schema): string[] {
  if (node.type === undefined) return [];
  return Array.isArray(node.type) ? node.type : [node.type];
}

// ---------------------------------------------------------------- TS types

function docFor(node: Schema, indent: string): string {
  const lines: string[] = [];
  const n = resolve(node);
  if (n.enum) lines.push(`Known values: ${n.enum.map((v) => `\`${String(v)}\``).join(', ')} (others may appear).`);
  if (n.format === 'date-time') lines.push('ISO 8601 timestamp.');
  if (node.deprecated || n.deprecated) lines.push('@deprecated Marked deprecated in the WorkOS spec.');
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

function tsType(node: Schema, indent: string): string {
  if (node.$ref) {
    const name = refName(node.$ref);
    usedComponents.add(name);
    const target = components[name] as Schema;
    if (!target.properties && target.enum) return tsType(target, indent);
    return componentTypeName(name);
  }
  if (node.oneOf) return unique(node.oneOf.map((b) => tsType(b, indent))).join(' | ');
  if (node.const !== undefined) return lit(node.const);
  const types = typesOf(node);
  const nonNull = types.filter((t) => t !== 'null');
  const nullable = types.includes('null');
  let base: string;
  if (nonNull.length === 0 && nullable) return 'null';
  const t = nonNull[0];
  if (node.enum) base = `${node.enum.map(lit).join(' | ')} | (string & {})`;
  else if (t === 'string') base = 'string';
  else if (t === 'integer' || t === 'number') base = 'number';
  else if (t === 'boolean') base = 'boolean';
  else if (t === 'array') base = `Array<${tsType(node.items ?? {}, indent)}>`;
  else if (t === 'object' || node.properties) base = tsObject(node, indent);
  else base = 'unknown';
  return nullable ? `${base} | null` : base;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function tsObject(node: Schema, indent: string): string {
  if (!node.properties) {
    const ap = node.additionalProperties;
    if (ap && typeof ap === 'object' && ap.type) return `Record<string, ${tsType(ap, indent)}>`;
    return 'Record<string, unknown>';
  }
  return `{\n${tsMembers(node, `${indent}  `)}${indent}}`;
}

function tsMembers(node: Schema, indent: string): string {
  const required = new Set(node.required ?? []);
  let out = '';
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    out += docFor(child, indent);
    out += `${indent}${key(name)}${required.has(name) ? '' : '?'}: ${tsType(child, indent)};\n`;
  }
  return out;
}

// ---------------------------------------------------------------- zod code

function zod(node: Schema, indent: string): string {
  if (node.$ref) {
    const name = refName(node.$ref);
    usedComponents.add(name);
    const target = components[name] as Schema;
    if (!target.properties && target.enum) return zod(target, indent);
    return `${componentFactoryName(name)}(k)`;
  }
  if (node.oneOf) {
    const branches = unique(node.oneOf.map((b) => zod(b, indent)));
    return branches.length === 1 ? branches[0]! : `z.union([${branches.join(', ')}])`;
  }
  if (node.const !== undefined) return `z.literal(${lit(node.const)})`;
  const types = typesOf(node);
  const nonNull = types.filter((t) => t !== 'null');
  const nullable = types.includes('null');
  if (nonNull.length === 0 && nullable) return 'z.null()';
  const t = nonNull[0];
  let base: string;
  if (node.enum) base = `k.enum([${node.enum.map(lit).join(', ')}])`;
  else if (t === 'string') {
    if (node.format === 'date-time') base = 'k.datetime()';
    else base = node.maxLength ? `z.string().max(${node.maxLength})` : 'z.string()';
  } else if (t === 'integer') base = 'z.number().int()';
  else if (t === 'number') base = 'z.number()';
  else if (t === 'boolean') base = 'z.boolean()';
  else if (t === 'array') base = `z.array(${zod(node.items ?? {}, indent)})`;
  else if (t === 'object' || node.properties) base = zodObject(node, indent);
  else base = 'z.unknown()';
  return nullable ? `${base}.nullable()` : base;
}

function zodObject(node: Schema, indent: string): string {
  if (!node.properties) {
    const ap = node.additionalProperties;
    const keySchema = node.propertyNames?.maxLength ? `z.string().max(${node.propertyNames.maxLength})` : 'z.string()';
    const valueSchema = ap && typeof ap === 'object' && ap.type ? zod(ap, indent) : 'z.unknown()';
    const record = `z.record(${keySchema}, ${valueSchema})`;
    return node.maxProperties ? `k.maxProperties(${record}, ${node.maxProperties})` : record;
  }
  return `z.looseObject({\n${zodMembers(node, `${indent}  `)}${indent}})`;
}

function zodMembers(node: Schema, indent: string): string {
  const required = new Set(node.required ?? []);
  let out = '';
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const code = zod(child, indent);
    out += `${indent}${key(name)}: ${code}${required.has(name) ? '' : '.optional()'},\n`;
  }
  return out;
}

// ---------------------------------------------------------------- examples

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DEFAULT_TIME = '2026-01-15T12:00:00.000Z';

function example(node: Schema, name: string): unknown {
  if (node.$ref) return example(components[refName(node.$ref)] as Schema, name);
  if (node.oneOf) return example(node.oneOf[0]!, name);
  if (node.const !== undefined) return node.const;
  const types = typesOf(node).filter((t) => t !== 'null');
  if (types.length === 0 && typesOf(node).includes('null')) return null;
  const t = types[0];
  if (node.enum) return node.enum.includes(node.example) ? node.example : node.enum[0];
  if (t === 'string') {
    if (node.format === 'date-time')
      return typeof node.example === 'string' && ISO.test(node.example) ? node.example : DEFAULT_TIME;
    const value = typeof node.example === 'string' ? node.example : `${name}_example`;
    return node.maxLength ? value.slice(0, node.maxLength) : value;
  }
  if (t === 'integer') return Number.isInteger(node.example) ? node.example : 1;
  if (t === 'number') return typeof node.example === 'number' ? node.example : 1;
  if (t === 'boolean') return typeof node.example === 'boolean' ? node.example : false;
  if (t === 'array') return [example(node.items ?? {}, name)];
  if (t === 'object' || node.properties) {
    if (!node.properties) {
      const ap = node.additionalProperties;
      const stringValues = ap && typeof ap === 'object' && ap.type === 'string';
      const ex = node.example;
      if (ex && typeof ex === 'object' && !Array.isArray(ex)) {
        const entries = Object.entries(ex).slice(0, node.maxProperties ?? 50);
        if (!stringValues || entries.every(([, v]) => typeof v === 'string')) return Object.fromEntries(entries);
      }
      return {};
    }
    const out: Record<string, unknown> = {};
    for (const [prop, child] of Object.entries(node.properties)) out[prop] = example(child, prop);
    return out;
  }
  return node.example ?? null;
}

// ---------------------------------------------------------------- per event

interface EventInfo {
  name: string;
  source: EventSource;
  typeName: string;
  dataName: string;
  family: string;
  dataObject: string | undefined;
  dataNode: Schema;
  contextNode: Schema | undefined;
  contextRequired: boolean;
  example: Record<string, unknown>;
  requiredDataFields: string[];
  dataFields: string[];
}

/** The object branches of a `data` schema: itself, or each `oneOf` branch (resolved). */
function dataBranches(node: Schema): Schema[] {
  const n = resolve(node);
  return n.oneOf ? n.oneOf.map(resolve) : [n];
}

const events: EventInfo[] = variants.map(({ name, variant: v, source }) => {
  const dataNode = v.properties?.data as Schema;
  const branches = dataBranches(dataNode);
  // For a union, `data.object` is known only when every branch has the same const; a field is required only when
  // every branch requires it.
  const objectConsts = unique(branches.map((b) => String(b.properties?.object?.const)));
  const objectConst = objectConsts.length === 1 && objectConsts[0] !== 'undefined' ? objectConsts[0] : undefined;
  const dataFields = unique(branches.flatMap((b) => Object.keys(b.properties ?? {})));
  const requiredDataFields = dataFields.filter((f) => branches.every((b) => (b.required ?? []).includes(f)));
  const contextNode = v.properties?.context;
  const contextRequired = (v.required ?? []).includes('context');
  const ex: Record<string, unknown> = {
    object: 'event',
    id: 'event_01EHZNVPK3SFK441A1RGBFSHRT',
    event: name,
    data: example(dataNode, 'data'),
    created_at: DEFAULT_TIME,
  };
  if (contextNode && contextRequired) ex.context = example(contextNode, 'context');
  return {
    name,
    source,
    typeName: `${pascal(name)}Event`,
    dataName: `${pascal(name)}Data`,
    family: name.split('.')[0]!,
    dataObject: objectConst,
    dataNode,
    contextNode,
    contextRequired,
    example: ex,
    requiredDataFields,
    dataFields,
  };
});

const dupes = events.map((e) => e.typeName).filter((n, i, a) => a.indexOf(n) !== i);
if (dupes.length) throw new Error(`Type name collision: ${dupes.join(', ')}`);

const sourceList = [
  `the WorkOS OpenAPI spec ${specVersion}`,
  ...sources.overlays.map((o) => `${o.file} (from ${o.label})`),
].join(' and ');
const HEADER = `// Generated by scripts/generate-events.ts from ${sourceList}.\n// Do not edit by hand: run \`npm run generate:events\`.\n`;
const countOf = (s: EventSource): number => events.filter((e) => e.source === s).length;
const overlayCount = events.length - countOf(sources.spec);
const countText =
  overlayCount === 0
    ? `Every event type in the WorkOS spec ${specVersion} (${events.length} types), sorted.`
    : `Every event type the library knows (${events.length}): the ${events.length - overlayCount} of the WorkOS spec ${specVersion} and ${overlayCount} it lacks, from ${sources.overlays.map((o) => o.label).join(', ')} (see docs/events.md). Sorted.`;

/** Why a type or object not in the spec exists, for its TSDoc. */
function sourceNote(source: EventSource): string {
  return `From ${source.label} (${source.file}); the WorkOS spec ${specVersion} lacks it.`;
}

function sampleField(e: EventInfo): string {
  const preferred = ['id', 'slug', 'email', 'user_id', 'organization_id', 'directory_id'];
  return preferred.find((f) => e.requiredDataFields.includes(f)) ?? e.requiredDataFields[0] ?? e.dataFields[0] ?? 'id';
}

function eventDoc(e: EventInfo): string {
  const object = e.dataObject ? `data object \`${e.dataObject}\`` : 'no `data.object`';
  const field = sampleField(e);
  return [
    '/**',
    ` * \`${e.name}\`: family \`${e.family}\`, ${object}.`,
    ...(e.source.kind === 'overlay' ? [` * ${sourceNote(e.source)}`] : []),
    ' *',
    ' * @example',
    ' * ```ts',
    ` * if (isWorkOSEvent(event, '${e.name}')) console.log(event.data.${field});`,
    ' * ```',
    ' */',
  ].join('\n');
}

// names.ts. The list is in every bundle (the parser tells known from unknown types with it), so it is packed: names
// grouped by their first segment, `prefix:rest,rest;…`, unpacked once at load (saves ~1.5 KB minified).
const groups = new Map<string, string[]>();
for (const e of events) {
  const dot = e.name.indexOf('.');
  if (dot <= 0 || /[:;,]/.test(e.name)) throw new Error(`generate-events: cannot pack event name ${lit(e.name)}`);
  const prefix = e.name.slice(0, dot);
  if (!groups.has(prefix)) groups.set(prefix, []);
  groups.get(prefix)!.push(e.name.slice(dot + 1));
}
const packed = [...groups].map(([prefix, rests]) => `${prefix}:${rests.join(',')}`).join(';');
let names = `${HEADER}\n`;
names += `/**\n * The name (\`event\` field) of an event type the library knows.\n *\n * @example\n * \`\`\`ts\n * const name: WorkOSEventName = 'dsync.user.created';\n * \`\`\`\n */\n`;
names += `export type WorkOSEventName =\n${events
  .map((e) => `  | ${lit(e.name)}\n`)
  .join('')
  .replace(/\n$/, ';\n')}\n`;
names += `const PACKED =\n  ${packed
  .match(/.{1,100}/g)!
  .map(lit)
  .join(' +\n  ')};\n\n`;
names += `/**\n * ${countText}\n *\n * @example\n * \`\`\`ts\n * if ((WORKOS_EVENT_NAMES as readonly string[]).includes(name)) subscribe(name);\n * \`\`\`\n */\n`;
names += `export const WORKOS_EVENT_NAMES: readonly WorkOSEventName[] = /* @__PURE__ */ PACKED.split(';').flatMap((group) => {\n  const [prefix, rests] = group.split(':') as [string, string];\n  return rests.split(',').map((rest) => \`\${prefix}.\${rest}\` as WorkOSEventName);\n});\n`;

// types.ts: object type aliases rather than interfaces, so events stay assignable to `Record<string, unknown>`
// (interfaces get no implicit index signature). Component types are collected while rendering events, so render
// events first.
const eventBlocks: string[] = [];
for (const e of events) {
  const data = resolve(e.dataNode);
  let block = [
    '/**',
    ` * The \`data\` of a \`${e.name}\` event.`,
    ' *',
    ' * @example',
    ' * ```ts',
    ` * if (event.event === '${e.name}') handle(event.data satisfies ${e.dataName});`,
    ' * ```',
    ' */',
    '',
  ].join('\n');
  if (e.dataNode.$ref) block += `export type ${e.dataName} = ${tsType(e.dataNode, '')};\n\n`;
  else if (data.properties) block += `export type ${e.dataName} = {\n${tsMembers(data, '  ')}};\n\n`;
  else block += `export type ${e.dataName} = ${tsType(data, '')};\n\n`;
  block += `${eventDoc(e)}\nexport type ${e.typeName} = {\n`;
  block += '  /** `"event"` on Events API items; usually absent on webhook bodies. */\n  object?: \'event\';\n';
  block += '  id: string;\n';
  block += `  event: ${lit(e.name)};\n`;
  block += `  data: ${e.dataName};\n`;
  block += '  /** Raw timestamp as sent; see `eventCreatedAt()`. */\n  created_at: string;\n';
  if (e.contextNode) block += `  context${e.contextRequired ? '' : '?'}: ${tsType(e.contextNode, '  ')};\n`;
  block += '};\n';
  eventBlocks.push(block);
}
const componentBlocks: string[] = [];
const renderedComponents = new Set<string>();
// Components can reference other components; render until closed, then sort for determinism.
for (let changed = true; changed; ) {
  changed = false;
  for (const name of [...usedComponents].sort()) {
    if (renderedComponents.has(name)) continue;
    renderedComponents.add(name);
    changed = true;
    const node = components[name] as Schema;
    if (!node.properties) continue;
    const src = componentSource.get(name);
    const origin =
      src?.kind === 'overlay'
        ? `object, as sent on the wire. ${sourceNote(src)}`
        : 'object of the WorkOS spec, as sent on the wire.';
    componentBlocks.push(
      `/**\n * The \`${name}\` ${origin}\n *\n * @example\n * \`\`\`ts\n * const value: ${componentTypeName(name)} = JSON.parse(json);\n * \`\`\`\n */\nexport type ${componentTypeName(name)} = {\n${tsMembers(node, '  ')}};\n`,
    );
  }
}
componentBlocks.sort(byCodePoint);
let types = `${HEADER}/* eslint-disable */\n\n`;
types += `${componentBlocks.join('\n')}\n${eventBlocks.join('\n')}\n`;
types += `/**\n * Maps each known event name to its event type.\n *\n * @example\n * \`\`\`ts\n * type Created = WorkOSEventMap['dsync.user.created'];\n * \`\`\`\n */\nexport interface WorkOSEventMap {\n${events.map((e) => `  ${lit(e.name)}: ${e.typeName};\n`).join('')}}\n\n`;
types += `/**\n * Union of every event type the library knows.\n *\n * @example\n * \`\`\`ts\n * function handle(e: KnownWorkOSEvent) { if (e.event === 'user.created') e.data.email; }\n * \`\`\`\n */\nexport type KnownWorkOSEvent = WorkOSEventMap[keyof WorkOSEventMap];\n`;

// schemas.ts
const componentFactories: string[] = [];
for (const name of [...renderedComponents].sort()) {
  const node = components[name] as Schema;
  if (!node.properties) continue;
  componentFactories.push(`const ${componentFactoryName(name)} = (k: SchemaKit) =>\n  ${zodObject(node, '  ')};\n`);
}
let schemas = `${HEADER}/* eslint-disable */\nimport { z } from 'zod';\nimport type { SchemaKit } from '../kit.js';\n\n`;
schemas += `${componentFactories.join('\n')}\n`;
schemas +=
  '/** One factory per event type. Nothing is built until a factory is called (see `../schemas.ts`). */\nexport const rawEventSchemaFactories = {\n';
for (const e of events) {
  schemas += `  ${lit(e.name)}: (k: SchemaKit) =>\n    z.looseObject({\n`;
  schemas += "      object: z.literal('event').optional(),\n      id: z.string().min(1),\n";
  schemas += `      event: z.literal(${lit(e.name)}),\n`;
  schemas += `      data: ${zod(e.dataNode, '      ')},\n`;
  schemas += '      created_at: z.string().min(1),\n';
  if (e.contextNode)
    schemas += `      context: ${zod(e.contextNode, '      ')}${e.contextRequired ? '' : '.optional()'},\n`;
  schemas += '    }),\n';
}
schemas += '};\n';

// examples.ts
let examples = `${HEADER}/* eslint-disable */\nimport type { WorkOSEventMap } from './types.js';\n\n`;
examples +=
  '/** One event per type, assembled from the per-field `example` values of the spec or overlay (consts, first enum value where none). */\n';
examples += `export const specExampleEvents: { readonly [N in keyof WorkOSEventMap]: WorkOSEventMap[N] } = ${JSON.stringify(
  Object.fromEntries(events.map((e) => [e.name, e.example])),
  null,
  2,
)};\n`;

// docs/events.md
let doc = `# WorkOS event types\n\n<!-- Generated by scripts/generate-events.ts; do not edit by hand. -->\n\n`;
const overlayText = sources.overlays
  .map(
    (o) =>
      `[\`${o.file}\`](../${o.file}) (${countOf(o)} types the spec lacks, written from the wire declarations of ${o.label})`,
  )
  .join(', ');
doc += overlayText
  ? `Generated from the WorkOS OpenAPI spec ${specVersion} (${countOf(sources.spec)} types) and ${overlayText}: **${events.length} event types**; the **source** column says where each one comes from.`
  : `Generated from the WorkOS OpenAPI spec ${specVersion}: **${events.length} event types**.`;
doc += ` Each is exported as a TypeScript interface from \`workos-events/events\` (\`<Name>Event\`, its payload as \`<Name>Data\`; at the root, \`WorkOSEventOf<'name'>\` and \`WorkOSEventData<'name'>\`) and validated by a lazily built zod schema (\`workosEventSchema(name)\` from \`workos-events/schemas\`). Field names are the wire (snake_case) names. Enum fields accept the listed values plus any other string; objects keep unknown fields.\n\n`;
const families = [...new Set(events.map((e) => e.family))];
doc += `Families: ${families.map((f) => `[\`${f}\`](#${f.replace(/_/g, '_')})`).join(', ')}.\n`;
for (const f of families) {
  doc += `\n## ${f}\n\n| event | TS type | data object | \`data\` fields (required in **bold**) | source |\n|---|---|---|---|---|\n`;
  for (const e of events.filter((x) => x.family === f)) {
    const req = new Set(e.requiredDataFields);
    const fields = e.dataFields.map((x) => (req.has(x) ? `**${x}**` : x)).join(', ') || '—';
    const ctx = e.contextRequired ? ' (requires `context`)' : '';
    const source = e.source.kind === 'spec' ? `spec ${specVersion}` : e.source.label;
    doc += `| \`${e.name}\`${ctx} | \`${e.typeName}\` | ${e.dataObject ? `\`${e.dataObject}\`` : '—'} | ${fields} | ${source} |\n`;
  }
}

// `--out <dir>` writes the same tree under another root (used by the generator's own tests).
const outRoot = path.resolve(argValue('--out') ?? root);
const outDir = path.join(outRoot, 'src/events/generated');
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'names.ts'), names);
writeFileSync(path.join(outDir, 'types.ts'), types);
writeFileSync(path.join(outDir, 'schemas.ts'), schemas);
writeFileSync(path.join(outDir, 'examples.ts'), examples);
mkdirSync(path.join(outRoot, 'docs'), { recursive: true });
writeFileSync(path.join(outRoot, 'docs/events.md'), doc);
process.stdout.write(
  `generated ${events.length} event types: ${[sources.spec, ...sources.overlays].map((s) => `${countOf(s)} from ${s.file}`).join(', ')}\n`,
);
