/**
 * Makes `import 'workos-events/…'` load the library's sources (src/…) in this process: the demo runs the examples,
 * which import the package by name as users do, straight after `npm install`, without `npm run build`.
 * The subpaths come from package.json `exports`, mapped as the build maps them (`dist/<p>.js` ← `src/<p>.ts` or
 * `src/<p>/index.ts`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type ExportConditions = { module?: string | { default?: string }; import?: string | { default?: string } };

/** `workos-events[/subpath]` → file URL of its source, for every subpath of package.json `exports`. */
export function sourceEntries(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, ExportConditions | string>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, conditions] of Object.entries(pkg.exports)) {
    if (typeof conditions === 'string') continue;
    const esm = conditions.module ?? conditions.import; // `module`: the build whose file names mirror src/
    const target = typeof esm === 'string' ? esm : esm?.default;
    if (!target) continue;
    const name = target.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
    const source = [`src/${name}.ts`, `src/${name}/index.ts`].map((f) => path.join(REPO, f)).find(existsSync);
    if (source) entries[subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`] = pathToFileURL(source).href;
  }
  return entries;
}

let registered = false;

/** Registers the resolution hook once (Node ≥ 20.6). */
export function loadLibraryFromSource(): void {
  if (registered) return;
  registered = true;
  register(new URL('./source-hooks.mjs', import.meta.url), { data: { entries: sourceEntries() } });
}
