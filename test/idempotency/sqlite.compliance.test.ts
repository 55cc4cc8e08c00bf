import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { type SqliteDatabaseLike, SqliteIdempotencyStore } from '../../src/idempotency/stores/sqlite.js';
import { describeIdempotencyStore } from '../../src/testing/vitest.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(path.join(tmpdir(), 'workos-events-sqlite-'));
const open: Array<{ close(): unknown }> = [];
afterAll(() => {
  for (const db of open.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

type Opener = (file: string) => SqliteDatabaseLike & { close(): unknown };

// better-sqlite3 is a native addon built for the Node 20 toolchain; other Node versions use node:sqlite.
let betterSqlite: Opener | string;
try {
  const Database = require('better-sqlite3') as new (
    file: string,
  ) => SqliteDatabaseLike & {
    close(): unknown;
    pragma(s: string): unknown;
  };
  new Database(':memory:').close(); // the native binding loads here, not at require()
  betterSqlite = (file) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    return db;
  };
} catch (err) {
  betterSqlite = `better-sqlite3 cannot load on Node ${process.version} (${(err as Error).message.split('\n')[0]})`;
}

let nodeSqlite: Opener | string;
try {
  const specifier = 'node:sqlite'; // a variable: the Node 20 type definitions do not know this module
  const mod = (await import(specifier)) as {
    DatabaseSync: new (file: string, opts?: { timeout?: number }) => SqliteDatabaseLike & { close(): unknown };
  };
  nodeSqlite = (file) => {
    const db = new mod.DatabaseSync(file, { timeout: 5_000 });
    db.exec('PRAGMA journal_mode = WAL');
    return db;
  };
} catch {
  nodeSqlite = `node:sqlite needs Node >= 22.5 (this is ${process.version})`;
}

for (const [label, opener] of [
  ['better-sqlite3', betterSqlite],
  ['node:sqlite', nodeSqlite],
] as const) {
  const file = path.join(dir, `${label.replace(/\W/g, '_')}.db`);
  describeIdempotencyStore(
    `SqliteIdempotencyStore (${label}, file)`,
    ({ namespace }) => {
      if (typeof opener === 'string') throw new Error(opener);
      // A connection per store: the claims race across connections to one file, as separate processes would.
      const database = opener(file);
      open.push(database);
      return new SqliteIdempotencyStore({ database, namespace });
    },
    { skip: typeof opener === 'string' ? opener : false },
  );
}
