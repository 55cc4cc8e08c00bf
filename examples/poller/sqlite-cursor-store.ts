/**
 * A `CursorStore` in the poller's SQLite database: the Events API position lives in the same file as the dedup
 * records and the data it describes, so one backup (or one lost disk) covers all three consistently.
 */
import type { CursorStore } from 'workos-events';
import type { Database } from './database.js';

export class SqliteCursorStore implements CursorStore {
  readonly #read;
  readonly #write;

  /** `name` tells apart several pollers sharing one database (e.g. one per set of event types). */
  constructor(
    db: Database,
    private readonly name = 'default',
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS workos_event_cursors (
  name TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at TEXT NOT NULL
)`);
    this.#read = db.prepare('SELECT cursor FROM workos_event_cursors WHERE name = ?');
    this.#write = db.prepare(
      `INSERT INTO workos_event_cursors (name, cursor, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    );
  }

  async load(): Promise<string | undefined> {
    const row = this.#read.get(this.name) as { cursor: string } | undefined;
    return row?.cursor;
  }

  async save(cursor: string): Promise<void> {
    this.#write.run(this.name, cursor, new Date().toISOString());
  }
}
