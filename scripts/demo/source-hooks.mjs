/**
 * Node module-resolution hook (registered by `use-source.ts`): resolves `workos-events` and its subpaths to the
 * library's TypeScript sources, so the demo runs the examples' code, which imports the package by name, without a
 * build. Every other specifier goes through the normal chain (tsx compiles the .ts files).
 */
let entries = {};

/** @param {{ entries: Record<string, string> }} data specifier → file URL */
export function initialize(data) {
  entries = data.entries;
}

/** @type {import('node:module').ResolveHook} */
export function resolve(specifier, context, nextResolve) {
  const url = entries[specifier];
  // Hand the mapped file URL on, so the TypeScript loader (tsx) resolves and compiles it like any .ts import.
  if (url) return nextResolve(url, context);
  return nextResolve(specifier, context);
}
