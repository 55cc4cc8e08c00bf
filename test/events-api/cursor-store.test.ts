import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCursorStore as EdgeFileCursorStore } from '../../src/events-api/file-cursor-store.edge.js';
import { FileCursorStore, MemoryCursorStore } from '../../src/events-api/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'workos-cursor-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileCursorStore', () => {
  it('loads undefined when the file does not exist, then round-trips saves', async () => {
    const store = new FileCursorStore(path.join(dir, 'nested', 'cursor'));
    expect(await store.load()).toBeUndefined();
    await store.save('event_01');
    await store.save('event_02');
    expect(await store.load()).toBe('event_02');
    expect(await readFile(path.join(dir, 'nested', 'cursor'), 'utf8')).toBe('event_02\n');
    expect(await new FileCursorStore(path.join(dir, 'nested', 'cursor')).load()).toBe('event_02');
  });

  it('writes atomically: temp file + rename, no temp file left behind', async () => {
    const file = path.join(dir, 'cursor');
    const store = new FileCursorStore(file, { fsync: false });
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.save(`event_${i}`)));
    expect(await readdir(dir)).toEqual(['cursor']);
    expect(await store.load()).toMatch(/^event_\d+$/);
  });

  it('treats an empty file as no cursor and rejects unsafe cursors', async () => {
    const file = path.join(dir, 'cursor');
    await writeFile(file, '\n');
    const store = new FileCursorStore(file);
    expect(await store.load()).toBeUndefined();
    await expect(store.save('')).rejects.toThrow(TypeError);
    await expect(store.save('a\nb')).rejects.toThrow(/single-line/);
    expect(() => new FileCursorStore('')).toThrow(TypeError);
  });

  it('a failed save rejects and removes its temp file', async () => {
    const target = path.join(dir, 'cursor');
    await mkdir(path.join(target, 'occupied'), { recursive: true }); // rename over a non-empty folder fails
    const store = new FileCursorStore(target);
    await expect(store.save('event_new')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['cursor']);
  });

  it('the edge twin throws a clear error instead of importing node:fs', async () => {
    expect(() => new EdgeFileCursorStore('x')).toThrow(
      'FileCursorStore needs a Node.js file system; use MemoryCursorStore or your own CursorStore',
    );
    const source = await readFile(new URL('../../src/events-api/file-cursor-store.edge.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from ['"]node:/);
  });
});

describe('MemoryCursorStore', () => {
  it('keeps the last cursor', async () => {
    const store = new MemoryCursorStore('event_a');
    expect(await store.load()).toBe('event_a');
    await store.save('event_b');
    expect(store.cursor).toBe('event_b');
  });
});
