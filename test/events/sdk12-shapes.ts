/**
 * One comparable shape for a wire type, read either from the SDK's declarations (TypeScript compiler API) or from
 * our spec-exact zod schema. Consts and enums are both a set of literals, `format: date-time` is a string, and a
 * boolean is a boolean however it is spelled; everything else must match field by field.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import type { z } from 'zod';

export type Shape =
  | { k: 'string' | 'number' | 'boolean' | 'null' | 'unknown' | 'any' }
  | { k: 'literal'; values: string[] }
  | { k: 'array' | 'record'; of: Shape }
  | { k: 'object'; props: Record<string, { optional: boolean; shape: Shape }> }
  | { k: 'union'; of: Shape[] };

/** JSON with object keys sorted, so equal shapes have equal keys whatever the declaration order. */
function key(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(key).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${key((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Flattens, merges literals (and `true | false` into boolean), dedupes and orders the members. */
function union(members: Shape[]): Shape {
  const flat = members.flatMap((m) => (m.k === 'union' ? m.of : [m]));
  const literals = flat.flatMap((m) => (m.k === 'literal' ? m.values : []));
  const rest = flat.filter((m) => m.k !== 'literal');
  const out: Shape[] = [...rest];
  const bools = literals.filter((v) => v === 'true' || v === 'false');
  const others = literals.filter((v) => v !== 'true' && v !== 'false');
  if (bools.length === 2) out.push({ k: 'boolean' });
  else if (bools.length === 1) others.push(bools[0]!);
  if (others.length) out.push({ k: 'literal', values: [...new Set(others)].sort() });
  const unique = [...new Map(out.map((m) => [key(m), m])).values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return unique.length === 1 ? unique[0]! : { k: 'union', of: unique };
}

// ---------------------------------------------------------------- SDK declarations

export interface SdkEvent {
  name: string;
  data: Shape;
  context: { optional: boolean; shape: Shape };
}

/** Reads every member of `KnownEventResponse` (the snake_case wire events) from an installed SDK's declarations. */
export function readSdkEvents(packageName: string): SdkEvent[] {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve(`${packageName}/package.json`));
  const entry = path.join(dir, 'lib/index.d.mts');
  const program = ts.createProgram([entry], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(entry);
  const moduleSymbol = file && checker.getSymbolAtLocation(file);
  if (!moduleSymbol) throw new Error(`cannot read ${entry}`);
  const exported = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === 'KnownEventResponse');
  if (!exported) throw new Error(`${entry} does not export KnownEventResponse`);
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const known = checker.getDeclaredTypeOfSymbol(symbol);
  if (!known.isUnion()) throw new Error('KnownEventResponse is not a union');

  const shapeOf = (t: ts.Type, depth: number): Shape => {
    if (depth > 20) throw new Error(`type too deep: ${checker.typeToString(t)}`);
    const f = t.flags;
    if (f & ts.TypeFlags.Any) return { k: 'any' };
    if (f & ts.TypeFlags.Unknown) return { k: 'unknown' };
    if (f & ts.TypeFlags.Boolean) return { k: 'boolean' };
    if (t.isUnion())
      return union(t.types.filter((m) => !(m.flags & ts.TypeFlags.Undefined)).map((m) => shapeOf(m, depth + 1)));
    if (t.isStringLiteral()) return { k: 'literal', values: [t.value] };
    if (f & ts.TypeFlags.BooleanLiteral) return { k: 'literal', values: [checker.typeToString(t)] };
    if (f & ts.TypeFlags.String) return { k: 'string' };
    if (f & ts.TypeFlags.Number) return { k: 'number' };
    if (f & ts.TypeFlags.Null) return { k: 'null' };
    if (checker.isArrayType(t))
      return { k: 'array', of: shapeOf(checker.getTypeArguments(t as ts.TypeReference)[0]!, depth + 1) };
    if (f & ts.TypeFlags.Object || t.isIntersection()) {
      const props = checker.getPropertiesOfType(t);
      const index = checker.getIndexInfosOfType(t)[0];
      if (props.length === 0 && index) return { k: 'record', of: shapeOf(index.type, depth + 1) };
      const out: Record<string, { optional: boolean; shape: Shape }> = {};
      for (const p of props) {
        out[p.name] = {
          optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
          shape: shapeOf(checker.getTypeOfSymbol(p), depth + 1),
        };
      }
      return { k: 'object', props: out };
    }
    throw new Error(`unsupported type in the SDK declarations: ${checker.typeToString(t)}`);
  };

  return known.types.map((member) => {
    const prop = (name: string) => {
      const p = member.getProperty(name);
      if (!p) throw new Error(`${checker.typeToString(member)} has no ${name}`);
      return p;
    };
    const eventType = checker.getTypeOfSymbol(prop('event'));
    if (!eventType.isStringLiteral()) throw new Error(`${checker.typeToString(member)}: event is not a literal`);
    const context = prop('context');
    return {
      name: eventType.value,
      data: shapeOf(checker.getTypeOfSymbol(prop('data')), 0),
      context: {
        optional: (context.flags & ts.SymbolFlags.Optional) !== 0,
        shape: shapeOf(checker.getTypeOfSymbol(context), 0),
      },
    };
  });
}

// ---------------------------------------------------------------- our zod schemas

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, string>;
}
const def = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** The shape of a spec-exact zod schema (as `specEventSchema` builds it). */
export function zodShape(schema: z.ZodType): Shape {
  const d = def(schema);
  switch (d.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'unknown':
      return { k: d.type };
    case 'literal':
      return union((d.values ?? []).map((v) => ({ k: 'literal', values: [String(v)] })));
    case 'enum':
      return { k: 'literal', values: Object.values(d.entries ?? {}).sort() };
    case 'nullable':
      return union([zodShape(d.innerType!), { k: 'null' }]);
    case 'union':
      return union((d.options ?? []).map(zodShape));
    case 'array':
      return { k: 'array', of: zodShape(d.element!) };
    case 'record':
      return { k: 'record', of: zodShape(d.valueType!) };
    case 'object': {
      const props: Record<string, { optional: boolean; shape: Shape }> = {};
      for (const [name, child] of Object.entries(d.shape ?? {})) {
        const optional = def(child).type === 'optional';
        props[name] = { optional, shape: zodShape(optional ? def(child).innerType! : child) };
      }
      return { k: 'object', props };
    }
    default:
      throw new Error(`unsupported zod type ${d.type}`);
  }
}

/** The object members of a zod object schema, with whether each is optional. */
export function zodMember(schema: z.ZodType, name: string): { optional: boolean; shape: Shape } | undefined {
  const shape = zodShape(schema);
  return shape.k === 'object' ? shape.props[name] : undefined;
}

// ---------------------------------------------------------------- comparison

/** Every difference between the SDK's shape and ours, as `path: sdk … ours …` lines; `any` in the SDK matches all. */
export function diffShapes(sdk: Shape, ours: Shape, at = '$'): string[] {
  if (sdk.k === 'any') return [];
  if (sdk.k !== ours.k) return [`${at}: SDK ${key(sdk)}, ours ${key(ours)}`];
  if (sdk.k === 'literal' && ours.k === 'literal')
    return key(sdk) === key(ours) ? [] : [`${at}: SDK ${sdk.values.join('|')}, ours ${ours.values.join('|')}`];
  if ((sdk.k === 'array' || sdk.k === 'record') && (ours.k === 'array' || ours.k === 'record'))
    return diffShapes(sdk.of, ours.of, `${at}[]`);
  if (sdk.k === 'union' && ours.k === 'union') {
    if (sdk.of.length !== ours.of.length) return [`${at}: SDK ${key(sdk)}, ours ${key(ours)}`];
    return sdk.of.flatMap((m, i) => diffShapes(m, ours.of[i]!, `${at}|${i}`));
  }
  if (sdk.k === 'object' && ours.k === 'object') {
    const out: string[] = [];
    for (const name of new Set([...Object.keys(sdk.props), ...Object.keys(ours.props)])) {
      const a = sdk.props[name];
      const b = ours.props[name];
      if (!a) out.push(`${at}.${name}: not in the SDK`);
      else if (!b) out.push(`${at}.${name}: missing from ours`);
      else {
        if (a.optional !== b.optional)
          out.push(`${at}.${name}: ${a.optional ? 'optional' : 'required'} in the SDK, not in ours`);
        out.push(...diffShapes(a.shape, b.shape, `${at}.${name}`));
      }
    }
    return out;
  }
  return [];
}
