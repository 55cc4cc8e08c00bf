// Edge twin of file-cursor-store.ts: edge runtimes have no file system, so no `node:` import may reach dist/edge.
import type { CursorStore } from './cursor-store.js';

/**
 * Options of `FileCursorStore` (unused on edge runtimes).
 *
 * @example
 * ```ts
 * const options: FileCursorStoreOptions = { fsync: true };
 * ```
 */
export interface FileCursorStoreOptions {
  fsync?: boolean;
}

const MESSAGE = 'FileCursorStore needs a Node.js file system; use MemoryCursorStore or your own CursorStore';

/**
 * Not available on edge runtimes: constructing it throws. Use `MemoryCursorStore` or your own `CursorStore`.
 *
 * @example
 * ```ts
 * const cursorStore = new MemoryCursorStore();
 * ```
 */
export class FileCursorStore implements CursorStore {
  readonly file: string;

  constructor(file: string, _options: FileCursorStoreOptions = {}) {
    this.file = file;
    throw new Error(MESSAGE);
  }

  async load(): Promise<string | undefined> {
    throw new Error(MESSAGE);
  }

  async save(_cursor: string): Promise<void> {
    throw new Error(MESSAGE);
  }
}
