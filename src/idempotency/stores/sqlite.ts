/**
 * `workos-events/stores/sqlite`: a durable {@link IdempotencyStore} in a SQLite file, for one machine
 * (several processes may share the file). Works with `better-sqlite3` and with Node's built-in `node:sqlite`.
 * @packageDocumentation
 */
import type { ClaimOptions, ClaimResult, CompleteOptions, IdempotencyRecord, IdempotencyStore } from '../types.js';
import { DEFAULT_RETAIN_MS } from '../types.js';
import { assertKey, assertToken, checkDuration, checkNamespace, newToken } from '../validate.js';
import { derivedName, quoteTableName } from './identifier.js';

/**
 * A prepared statement, as both `better-sqlite3` (`Statement`) and `node:sqlite` (`StatementSync`) provide it.
 *
 * @example
 * ```ts
 * const stmt: SqliteStatementLike = db.prepare('SELECT 1 AS one');
 * ```
 */
export interface SqliteStatementLike {
  run(...params: Array<string | number | null>): { changes: number | bigint };
  get(...params: Array<string | number | null>): unknown;
}

/**
 * The part of a SQLite connection the store uses: a `better-sqlite3` `Database` or a `node:sqlite` `DatabaseSync`
 * fits it as is.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const database: SqliteDatabaseLike = new Database('events.db');
 * ```
 */
export interface SqliteDatabaseLike {
  prepare(sql: string): SqliteStatementLike;
  exec(sql: string): unknown;
}

/**
 * Options of {@link SqliteIdempotencyStore}.
 *
 * @example
 * ```ts
 * new SqliteIdempotencyStore({ database: new DatabaseSync('events.db'), table: 'webhook_dedup' });
 * ```
 */
export interface SqliteIdempotencyStoreOptions {
  /** An open `better-sqlite3` `Database` or `node:sqlite` `DatabaseSync`. The store never closes it. */
  database: SqliteDatabaseLike;
  /** Table name (letters, digits, underscores). Created if missing. Default `workos_events_idempotency`. */
  table?: string;
  /** Isolates tenants sharing one table. Default: `''`. */
  namespace?: string;
  /** Clock in epoch ms (for tests). Default `Date.now`; processes sharing a file share this machine's clock. */
  now?: () => number;
}

type Row = {
  status: 'in_progress' | 'completed';
  lease_expires_at: number | null;
  retain_until: number | null;
  received_at: number;
  completed_at: number | null;
  event_type: string | null;
  source: 'webhook' | 'api' | null;
};

/**
 * {@link IdempotencyStore} in SQLite. The claim is one `INSERT … ON CONFLICT DO UPDATE … WHERE <claimable>
 * RETURNING` statement, atomic across every connection to the file. Times are epoch ms from this machine's clock.
 * The constructor creates the table if it is missing.
 *
 * For several processes on one file, enable WAL (`PRAGMA journal_mode = WAL`) and a busy timeout
 * (`better-sqlite3` waits 5 s by default; `node:sqlite` needs `new DatabaseSync(file, { timeout: 5000 })`).
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'; // or: import { DatabaseSync } from 'node:sqlite';
 * import { SqliteIdempotencyStore } from 'workos-events/stores/sqlite';
 *
 * const database = new Database('workos-events.db');
 * database.pragma('journal_mode = WAL');
 * const store = new SqliteIdempotencyStore({ database });
 * ```
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  readonly #ns: string;
  readonly #now: () => number;
  readonly #claim: SqliteStatementLike;
  readonly #read: SqliteStatementLike;
  readonly #complete: SqliteStatementLike;
  readonly #release: SqliteStatementLike;
  readonly #purge: SqliteStatementLike;

  constructor(options: SqliteIdempotencyStoreOptions) {
    const db = options?.database;
    if (!db || typeof db.prepare !== 'function' || typeof db.exec !== 'function') {
      throw new TypeError(
        'SqliteIdempotencyStore needs { database }: a better-sqlite3 Database or node:sqlite DatabaseSync.',
      );
    }
    const rawTable = options.table ?? 'workos_events_idempotency';
    const t = quoteTableName(rawTable, false);
    this.#ns = checkNamespace(options.namespace);
    this.#now = options.now ?? Date.now;
    db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
  namespace TEXT NOT NULL DEFAULT '',
  event_id TEXT NOT NULL,
  event_type TEXT,
  source TEXT CHECK (source IN ('webhook', 'api')),
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed')),
  lease_expires_at INTEGER,
  completed_at INTEGER,
  retain_until INTEGER,
  token TEXT NOT NULL,
  PRIMARY KEY (namespace, event_id)
);
CREATE INDEX IF NOT EXISTS "${derivedName(rawTable, 'retain_until_idx')}" ON ${t} (retain_until);`);
    // Plain `?` placeholders: better-sqlite3 does not bind numbered ones (`?1`), so repeated values are passed twice.
    this.#claim = db.prepare(`INSERT INTO ${t} AS r
  (namespace, event_id, event_type, source, received_at, status, lease_expires_at, completed_at, retain_until, token)
VALUES (?, ?, ?, ?, ?, 'in_progress', ?, NULL, NULL, ?)
ON CONFLICT (namespace, event_id) DO UPDATE SET
  event_type = excluded.event_type, source = excluded.source, received_at = excluded.received_at,
  status = 'in_progress', lease_expires_at = excluded.lease_expires_at, completed_at = NULL, retain_until = NULL,
  token = excluded.token
WHERE (r.status = 'in_progress' AND r.lease_expires_at <= ?) OR (r.status = 'completed' AND r.retain_until <= ?)
RETURNING token`);
    this.#read = db.prepare(
      `SELECT status, lease_expires_at, retain_until, received_at, completed_at, event_type, source FROM ${t} WHERE namespace = ? AND event_id = ?`,
    );
    this.#complete = db.prepare(`UPDATE ${t}
SET status = 'completed', completed_at = ?, lease_expires_at = NULL, retain_until = ?
WHERE namespace = ? AND event_id = ? AND token = ? AND status = 'in_progress' AND lease_expires_at > ?`);
    this.#release = db.prepare(
      `DELETE FROM ${t} WHERE namespace = ? AND event_id = ? AND token = ? AND status = 'in_progress' AND lease_expires_at > ?`,
    );
    this.#purge = db.prepare(
      `DELETE FROM ${t} WHERE namespace = ? AND ((status = 'completed' AND retain_until <= ?) OR (status = 'in_progress' AND lease_expires_at <= ?))`,
    );
  }

  async claim(key: string, opts: ClaimOptions): Promise<ClaimResult> {
    assertKey(key);
    const leaseMs = checkDuration(opts?.leaseMs, 'leaseMs');
    // A claimable row can only turn into a live one between the two statements, and a live one into a claimable
    // one (lease end, release): then try again. Bounded, because every retry follows someone else's progress.
    for (let attempt = 0; attempt < 10; attempt++) {
      const now = this.#now();
      const token = newToken();
      const won = this.#claim.get(
        this.#ns,
        key,
        opts.eventType ?? null,
        opts.source ?? null,
        now,
        now + leaseMs,
        token,
        now,
        now,
      );
      if (won) return { status: 'claimed', token };
      const row = this.#read.get(this.#ns, key) as Row | undefined;
      const at = this.#now();
      if (row?.status === 'completed' && (row.retain_until ?? 0) > at) return { status: 'duplicate' };
      if (row?.status === 'in_progress' && (row.lease_expires_at ?? 0) > at) return { status: 'in_progress' };
    }
    return { status: 'in_progress' };
  }

  async complete(key: string, token: string, opts?: CompleteOptions): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    const retainMs = checkDuration(opts?.retainMs ?? DEFAULT_RETAIN_MS, 'retainMs');
    const now = this.#now();
    return Number(this.#complete.run(now, now + retainMs, this.#ns, key, token, now).changes) === 1;
  }

  async release(key: string, token: string): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    return Number(this.#release.run(this.#ns, key, token, this.#now()).changes) === 1;
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    assertKey(key);
    const row = this.#read.get(this.#ns, key) as Row | undefined;
    if (!row) return undefined;
    return toRecord(key, row, this.#now());
  }

  /**
   * Deletes this namespace's completed rows past their retention and leases that ended, and returns how many.
   * Optional housekeeping (run it daily, say): such rows never block a claim, they only take space.
   */
  async purgeExpired(): Promise<number> {
    const now = this.#now();
    return Number(this.#purge.run(this.#ns, now, now).changes);
  }

  /** Nothing to free: the database connection is yours to close. */
  async close(): Promise<void> {}
}

function toRecord(key: string, row: Row, now: number): IdempotencyRecord | undefined {
  const base = {
    key,
    ...(row.event_type !== null ? { eventType: row.event_type } : {}),
    ...(row.source !== null ? { source: row.source } : {}),
  };
  if (row.status === 'completed') {
    const expiresAt = Number(row.retain_until);
    if (expiresAt <= now) return undefined;
    return { ...base, status: 'completed', expiresAt, updatedAt: Number(row.completed_at) };
  }
  const expiresAt = Number(row.lease_expires_at);
  return {
    ...base,
    status: expiresAt > now ? 'in_progress' : 'expired',
    expiresAt,
    updatedAt: Number(row.received_at),
  };
}
