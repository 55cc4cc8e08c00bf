/**
 * The CommonJS Node build loads the lazily loaded schemas with `require`, not `import()`: CommonJS test runners such as
 * Jest evaluate modules in a `vm` context, where `import()` throws unless Node runs with `--experimental-vm-modules`.
 * This test evaluates `dist/node/index.cjs` the way such a runner does (a `vm` function with no dynamic-import
 * callback) and asks for the schemas.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureLibraryBuilt, REPO } from '../examples/helpers.js';

beforeAll(() => ensureLibraryBuilt(), 300_000);

const SLOT = Symbol.for('workos-events.schemas');

function loadInVmFunction(file: string): Record<string, unknown> {
  const code = readFileSync(file, 'utf8');
  const fn = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  const module = { exports: {} as Record<string, unknown> };
  fn(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

describe('CJS build in a vm context (as Jest runs it)', () => {
  it('a dynamic import() would fail there (the condition this guards against)', async () => {
    const fn = vm.compileFunction('return import("node:path")', []);
    await expect(fn()).rejects.toThrow();
  });

  it('preloadWorkOSEventSchemas() and async strict validation work without --experimental-vm-modules', async () => {
    const g = globalThis as Record<symbol, unknown>;
    const saved = g[SLOT];
    delete g[SLOT];
    try {
      const lib = loadInVmFunction(path.join(REPO, 'dist/node/index.cjs')) as {
        preloadWorkOSEventSchemas(): Promise<void>;
        parseWorkOSEvent(json: unknown, options: object): { event: string };
      };
      await expect(lib.preloadWorkOSEventSchemas()).resolves.toBeUndefined();
      const event = lib.parseWorkOSEvent(
        {
          id: 'event_01',
          event: 'user.created',
          data: { object: 'user', id: 'user_1' },
          created_at: '2026-12-03T00:00:00.000Z',
        },
        { validate: 'full', onSchemaDrift: () => {} },
      );
      expect(event.event).toBe('user.created');
    } finally {
      g[SLOT] = saved;
    }
  });
});
