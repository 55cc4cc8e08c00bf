import path from 'node:path';
import type { CursorStore } from './cursor-store.js';

// Loaded on first use, not when the package is imported: most processes that import the root never touch a file.
const fs = () => import('node:fs/promises');

/**
 * Options of {@link FileCursorStore}.
 *
 * @example
 * ```ts
 * const store = new FileCursorStore('./workos.cursor', { fsync: false });
 * ```
 */
export interface FileCursorStoreOptions {
  /** Flush each save to disk before the rename (default true). Without it a power loss (not a crash) may lose recent saves. */
  fsync?: boolean;
}

/**
 * A {@link CursorStore} in one file holding the cursor as text. Each save writes a temporary file in the same folder,
 * flushes it to disk and renames it over the old one, so a crash (even SIGKILL or power loss) leaves either the
 * previous cursor or the new one — never a torn file. The folder is created when missing. Node.js only (the edge
 * build gets a stub that throws).
 *
 * @example
 * ```ts
 * const cursorStore = new FileCursorStore('./var/workos-events.cursor');
 * for await (const event of pollEvents({ events: ['dsync.user.created'], cursorStore })) await handle(event);
 * ```
 */
export class FileCursorStore implements CursorStore {
  /** Absolute path of the cursor file. */
  readonly file: string;
  private readonly sync: boolean;

  constructor(file: string, options: FileCursorStoreOptions = {}) {
    if (typeof file !== 'string' || file === '') throw new TypeError('FileCursorStore needs a file path.');
    this.file = path.resolve(file);
    this.sync = options.fsync ?? true;
  }

  async load(): Promise<string | undefined> {
    let text: string;
    try {
      text = await (await fs()).readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
    const cursor = text.trim();
    return cursor === '' ? undefined : cursor;
  }

  async save(cursor: string): Promise<void> {
    if (typeof cursor !== 'string' || cursor === '' || /[\r\n]/.test(cursor)) {
      throw new TypeError('FileCursorStore.save needs a non-empty single-line cursor.');
    }
    const dir = path.dirname(this.file);
    const { mkdir, open, rename, rm } = await fs();
    await mkdir(dir, { recursive: true });
    const { randomBytes } = await import('node:crypto');
    const temp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(`${cursor}\n`, 'utf8');
        if (this.sync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
