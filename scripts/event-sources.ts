/**
 * The generator's inputs: the WorkOS OpenAPI spec plus the overlay files (`scripts/events-overlay/*.yaml`) that add
 * the event types the spec lacks. Both end up as spec-shaped event variants over one component map, each tagged with
 * where it came from. Shared by scripts/generate-events.ts and the test comparing the overlay with the SDK.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The subset of OpenAPI schema the generator understands. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  maxProperties?: number;
  maxLength?: number;
  deprecated?: boolean;
  example?: unknown;
}

/** One input file. */
export interface EventSource {
  kind: 'spec' | 'overlay';
  /** Path relative to the repository root when inside it, else as given. */
  file: string;
  /** `WorkOS OpenAPI spec 0.61.0` or the overlay's `source`, e.g. `@workos-inc/node 12.3.0`. */
  label: string;
}

export interface EventVariant {
  name: string;
  variant: Schema;
  source: EventSource;
}

export interface EventSources {
  specVersion: string;
  spec: EventSource;
  overlays: EventSource[];
  /** The spec's components and every overlay's, by name (names are unique across files). */
  components: Record<string, Schema>;
  /** The source of each component. */
  componentSource: Map<string, EventSource>;
  /** Every event type, sorted by name in code-point order. */
  variants: EventVariant[];
}

// Code-point order (not localeCompare, which depends on the machine's ICU/locale): the output must be byte-stable.
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface OverlayFile {
  source?: unknown;
  events?: Record<string, { properties?: Record<string, Schema>; required?: string[] } & Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

const EVENT_KEYS = new Set(['properties', 'required']);
const EVENT_PROPERTIES = new Set(['data', 'context']);

function fail(file: string, message: string): never {
  throw new Error(`${file}: ${message}`);
}

/** Every `$ref` in a schema tree must name a component; a typo would otherwise surface as a crash mid-generation. */
function checkRefs(node: unknown, components: Record<string, Schema>, file: string, where: string): void {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) checkRefs(n, components, file, `${where}[${i}]`);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref') {
      const m = /^#\/components\/schemas\/(.+)$/.exec(String(v));
      if (!m || !components[m[1]!]) fail(file, `${where}: unresolved $ref ${JSON.stringify(v)}`);
    } else if (k !== 'example') checkRefs(v, components, file, `${where}.${k}`);
  }
}

/**
 * Reads the spec and the overlay files (every `*.yaml` in `overlayDir`, in name order) and merges them. Fails on
 * anything ambiguous: an overlay event the spec already has, the same event in two overlays, a component name used
 * twice, an unresolved `$ref`, or an entry with keys the generator would ignore.
 */
export function loadEventSources(options: { specPath: string; overlayDir: string; root: string }): EventSources {
  const rel = (p: string): string => {
    const r = path.relative(options.root, p);
    return r.startsWith('..') || path.isAbsolute(r) ? p : r.split(path.sep).join('/');
  };
  const spec = parse(readFileSync(options.specPath, 'utf8')) as {
    info?: { version?: string };
    components: { schemas: Record<string, Schema> };
  };
  // The file name carries the spec release (`workos-openapi-spec-0.61.0.yaml`); `info.version` is the API version.
  const specVersion =
    /spec-(\d+\.\d+\.\d+)/.exec(path.basename(options.specPath))?.[1] ?? spec.info?.version ?? 'unknown';
  const specSource: EventSource = {
    kind: 'spec',
    file: rel(options.specPath),
    label: `WorkOS OpenAPI spec ${specVersion}`,
  };
  const components: Record<string, Schema> = { ...spec.components.schemas };
  const componentSource = new Map<string, EventSource>(Object.keys(components).map((n) => [n, specSource]));
  const eventSchema = components.EventSchema as { allOf: [Schema, { oneOf: Schema[] }] };
  const variants: EventVariant[] = eventSchema.allOf[1].oneOf.map((variant) => ({
    name: String(variant.properties?.event?.const),
    variant,
    source: specSource,
  }));
  const seen = new Map(variants.map((v) => [v.name, v.source]));

  let files: string[] = [];
  try {
    files = readdirSync(options.overlayDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort(byCodePoint);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const overlays: EventSource[] = [];
  const overlayEntries: Array<{ file: string; doc: OverlayFile }> = [];
  for (const name of files) {
    const full = path.join(options.overlayDir, name);
    const file = rel(full);
    const doc = (parse(readFileSync(full, 'utf8')) ?? {}) as OverlayFile;
    if (typeof doc.source !== 'string' || !doc.source) fail(file, 'needs a `source` (where its facts come from)');
    const source: EventSource = { kind: 'overlay', file, label: doc.source };
    overlays.push(source);
    overlayEntries.push({ file, doc });
    for (const [cname, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const other = componentSource.get(cname);
      if (other) fail(file, `component ${cname} is already defined by ${other.file}`);
      // The generator names object components (`WorkOS<Name>`) and inlines the rest; keep overlays to the former.
      if (!schema.properties) fail(file, `component ${cname} must be an object schema with properties`);
      components[cname] = schema;
      componentSource.set(cname, source);
    }
  }
  // Refs are checked once every file's components are in, so overlays may share components.
  for (const [i, { file, doc }] of overlayEntries.entries()) {
    const source = overlays[i]!;
    checkRefs(doc.components, components, file, 'components');
    for (const [event, entry] of Object.entries(doc.events ?? {})) {
      const other = seen.get(event);
      if (other?.kind === 'spec')
        fail(file, `${event} is in the spec now: delete it from the overlay (the spec is the primary source)`);
      if (other) fail(file, `${event} is also defined by ${other.file}`);
      const extra = Object.keys(entry).filter((k) => !EVENT_KEYS.has(k));
      if (extra.length) fail(file, `${event}: unsupported keys ${extra.join(', ')} (only properties, required)`);
      const props = entry.properties ?? {};
      const badProps = Object.keys(props).filter((k) => !EVENT_PROPERTIES.has(k));
      if (badProps.length) fail(file, `${event}: unsupported properties ${badProps.join(', ')} (only data, context)`);
      if (!props.data) fail(file, `${event}: properties.data is required`);
      const required = entry.required ?? [];
      if (!required.includes('data')) fail(file, `${event}: required must list data`);
      if (required.some((r) => !(r in props))) fail(file, `${event}: required lists a property it does not define`);
      checkRefs(props, components, file, event);
      seen.set(event, source);
      variants.push({
        name: event,
        // The same shape as a spec variant; the envelope (id, created_at, object) is the generator's, as for the spec.
        variant: {
          type: 'object',
          properties: { event: { type: 'string', const: event }, ...props },
          required: ['id', 'event', ...required, 'created_at'],
        },
        source,
      });
    }
  }
  variants.sort((a, b) => byCodePoint(a.name, b.name));
  return { specVersion, spec: specSource, overlays, components, componentSource, variants };
}
