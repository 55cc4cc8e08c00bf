/**
 * Opens the example's SQLite database: `better-sqlite3` when its native module loads, otherwise Node's built-in
 * `node:sqlite` (Node ≥ 22.5), so the example runs on either without a native build. Both fit the small
 * `Database` shape below, which is all this app and `SqliteIdempotencyStore` need.
 */
import { createRequire } from 'node:module';

export interface Statement {
  run(...params: Array<string | number | null>): { changes: number | bigint };
  get(...params: Array<string | number | null>): unknown;
  all(...params: Array<string | number | null>): unknown[];
}

export interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  close(): unknown;
}

const require = createRequire(import.meta.url);

function openBetterSqlite(file: string): Database {
  const BetterSqlite = require('better-sqlite3') as new (file: string) => Database;
  return new BetterSqlite(file);
}

function openNodeSqlite(file: string): Database {
  const { DatabaseSync } = require('node:sqlite') as {
    DatabaseSync: new (file: string, options?: { timeout?: number }) => Database;
  };
  return new DatabaseSync(file, { timeout: 5000 });
}

/** Opens (or creates) `file`; `:memory:` gives a throwaway database. WAL lets several processes share the file. */
export function openDatabase(file: string): Database {
  let db: Database;
  try {
    db = openBetterSqlite(file);
  } catch (betterSqliteError) {
    try {
      db = openNodeSqlite(file);
    } catch {
      throw new Error(
        'Cannot open SQLite: install better-sqlite3 (npm install better-sqlite3) or use Node >= 22.5 (node:sqlite).',
        { cause: betterSqliteError },
      );
    }
  }
  if (file !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}
