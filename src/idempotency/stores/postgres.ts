/**
 * `workos-events/stores/postgres`: an {@link IdempotencyStore} in PostgreSQL, over a `pg` Pool or Client (or any
 * object with `query(text, params)`).
 * @packageDocumentation
 */
import type { ClaimOptions, ClaimResult, CompleteOptions, IdempotencyRecord, IdempotencyStore } from '../types.js';
import { DEFAULT_RETAIN_MS } from '../types.js';
import { assertKey, assertToken, checkDuration, checkNamespace, newToken } from '../validate.js';
import { derivedName, quoteTableName } from './identifier.js';

/**
 * What the store needs from a PostgreSQL client: `pg`'s `Pool`, `PoolClient` and `Client` fit as they are;
 * so does anything returning `{ rows, rowCount }` for a parameterized query (`$1`, `$2`, …).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const client: PostgresQueryable = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Options of {@link PostgresIdempotencyStore}.
 *
 * @example
 * ```ts
 * new PostgresIdempotencyStore({ client: pool, table: 'billing.workos_events_idempotency' });
 * ```
 */
export interface PostgresIdempotencyStoreOptions {
  /** A `pg` Pool (recommended) or Client. The store never ends it. */
  client: PostgresQueryable;
  /** `table` or `schema.table` (letters, digits, underscores). Default `workos_events_idempotency`. */
  table?: string;
  /** Isolates tenants sharing one table. Default: `''`. */
  namespace?: string;
  /**
   * Send one query at a time. Default: true for a single connection (a `pg` `Client` or `PoolClient`, which
   * `pg` ≥ 8.13 warns about and `pg` 9 refuses when queries overlap), false for a Pool.
   */
  serialize?: boolean;
}

type Row = {
  status: 'in_progress' | 'completed';
  expired: boolean;
  expires_at: number;
  updated_at: number;
  event_type: string | null;
  source: 'webhook' | 'api' | null;
};

/**
 * The DDL {@link PostgresIdempotencyStore.migrate} runs (idempotent: `IF NOT EXISTS`), for your own migration tool.
 *
 * @example
 * ```ts
 * await pool.query(postgresIdempotencySchema('workos_events_idempotency'));
 * ```
 */
export function postgresIdempotencySchema(table = 'workos_events_idempotency'): string {
  const t = quoteTableName(table, true);
  return `CREATE TABLE IF NOT EXISTS ${t} (
  namespace        text        NOT NULL DEFAULT '',
  event_id         text        NOT NULL,
  event_type       text,
  source           text        CHECK (source IN ('webhook', 'api')),
  received_at      timestamptz NOT NULL DEFAULT now(),
  status           text        NOT NULL CHECK (status IN ('in_progress', 'completed')),
  lease_expires_at timestamptz,
  completed_at     timestamptz,
  retain_until     timestamptz,
  token            text        NOT NULL,
  PRIMARY KEY (namespace, event_id)
);
CREATE INDEX IF NOT EXISTS "${derivedName(table, 'retain_until_idx')}" ON ${t} (retain_until);`;
}

/**
 * {@link IdempotencyStore} in PostgreSQL. The claim is one statement,
 * `INSERT … ON CONFLICT (namespace, event_id) DO UPDATE … WHERE <lease ended or retention over> RETURNING token`,
 * so of any number of concurrent claimers exactly one gets the row. complete/release are conditional
 * `UPDATE`/`DELETE`s on the token and a live lease (the fencing check).
 *
 * Time is the database's clock only (`statement_timestamp()`), so application servers with skewed clocks agree.
 * Call `await store.migrate()` once at start-up (idempotent and safe to race), or run
 * {@link postgresIdempotencySchema} in your own migrations.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { PostgresIdempotencyStore } from 'workos-events/stores/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = new PostgresIdempotencyStore({ client: pool });
 * await store.migrate();
 * ```
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  readonly #query: Query;
  readonly #table: string;
  readonly #ns: string;
  readonly #sql: { claim: string; read: string; complete: string; release: string; purge: string };

  constructor(options: PostgresIdempotencyStoreOptions) {
    const client = options?.client;
    if (!client || typeof client.query !== 'function') {
      throw new TypeError('PostgresIdempotencyStore needs { client }: a pg Pool or Client (anything with query()).');
    }
    // A pg Pool has `idleCount`; a lone connection does not, and must not receive overlapping queries.
    const looksLikeSingleConnection =
      typeof (client as { connect?: unknown }).connect === 'function' && !('idleCount' in client);
    this.#query =
      (options.serialize ?? looksLikeSingleConnection)
        ? serialized(client)
        : (text, values) => client.query(text, values);
    this.#table = options.table ?? 'workos_events_idempotency';
    const t = quoteTableName(this.#table, true);
    this.#ns = checkNamespace(options.namespace);
    const now = 'statement_timestamp()';
    const ms = (expr: string) => `(extract(epoch from ${expr}) * 1000)::float8`;
    this.#sql = {
      // $1 ns, $2 key, $3 type, $4 source, $5 lease ms, $6 token
      claim: `INSERT INTO ${t} AS r
  (namespace, event_id, event_type, source, received_at, status, lease_expires_at, completed_at, retain_until, token)
VALUES ($1, $2, $3, $4, ${now}, 'in_progress', ${now} + $5::float8 * interval '1 millisecond', NULL, NULL, $6)
ON CONFLICT (namespace, event_id) DO UPDATE SET
  event_type = EXCLUDED.event_type, source = EXCLUDED.source, received_at = EXCLUDED.received_at,
  status = 'in_progress', lease_expires_at = EXCLUDED.lease_expires_at, completed_at = NULL, retain_until = NULL,
  token = EXCLUDED.token
WHERE (r.status = 'in_progress' AND r.lease_expires_at <= ${now})
   OR (r.status = 'completed' AND r.retain_until <= ${now})
RETURNING token`,
      read: `SELECT status,
  CASE WHEN status = 'completed' THEN retain_until <= ${now} ELSE lease_expires_at <= ${now} END AS expired,
  ${ms("CASE WHEN status = 'completed' THEN retain_until ELSE lease_expires_at END")} AS expires_at,
  ${ms("CASE WHEN status = 'completed' THEN completed_at ELSE received_at END")} AS updated_at,
  event_type, source
FROM ${t} WHERE namespace = $1 AND event_id = $2`,
      // $1 ns, $2 key, $3 token, $4 retain ms
      complete: `UPDATE ${t} SET status = 'completed', completed_at = ${now}, lease_expires_at = NULL,
  retain_until = ${now} + $4::float8 * interval '1 millisecond'
WHERE namespace = $1 AND event_id = $2 AND token = $3 AND status = 'in_progress' AND lease_expires_at > ${now}`,
      release: `DELETE FROM ${t}
WHERE namespace = $1 AND event_id = $2 AND token = $3 AND status = 'in_progress' AND lease_expires_at > ${now}`,
      purge: `DELETE FROM ${t} WHERE namespace = $1
  AND ((status = 'completed' AND retain_until <= ${now}) OR (status = 'in_progress' AND lease_expires_at <= ${now}))`,
    };
  }

  /**
   * Creates the table and its index if missing. Idempotent; concurrent calls (several instances booting at
   * once) serialize on a transaction-scoped advisory lock instead of failing on the catalog.
   */
  async migrate(): Promise<void> {
    const ddl = postgresIdempotencySchema(this.#table);
    const lock = `workos-events:migrate:${this.#table}`;
    // One statement (a DO block is one transaction) so it also works through a Pool.
    await this.#query(
      `DO $workos_events$ BEGIN PERFORM pg_advisory_xact_lock(hashtext(${literal(lock)})); ${ddl} END $workos_events$;`,
      [],
    );
  }

  async claim(key: string, opts: ClaimOptions): Promise<ClaimResult> {
    assertKey(key);
    const leaseMs = checkDuration(opts?.leaseMs, 'leaseMs');
    // When the claim loses, a second read says why. A row can only turn claimable in between (lease end, release,
    // retention): then try again. Bounded, because every retry follows someone else's progress.
    for (let attempt = 0; attempt < 10; attempt++) {
      const token = newToken();
      const params = [this.#ns, key, opts.eventType ?? null, opts.source ?? null, leaseMs, token];
      const won = await this.#query(this.#sql.claim, params);
      if (won.rows.length === 1) return { status: 'claimed', token };
      const row = await this.#read(key);
      if (row && !row.expired) return row.status === 'completed' ? { status: 'duplicate' } : { status: 'in_progress' };
    }
    return { status: 'in_progress' };
  }

  async complete(key: string, token: string, opts?: CompleteOptions): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    const retainMs = checkDuration(opts?.retainMs ?? DEFAULT_RETAIN_MS, 'retainMs');
    const result = await this.#query(this.#sql.complete, [this.#ns, key, token, retainMs]);
    return result.rowCount === 1;
  }

  async release(key: string, token: string): Promise<boolean> {
    assertKey(key);
    assertToken(token);
    const result = await this.#query(this.#sql.release, [this.#ns, key, token]);
    return result.rowCount === 1;
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    assertKey(key);
    const row = await this.#read(key);
    if (!row || (row.status === 'completed' && row.expired)) return undefined;
    return {
      key,
      status: row.status === 'completed' ? 'completed' : row.expired ? 'expired' : 'in_progress',
      expiresAt: Math.round(row.expires_at),
      updatedAt: Math.round(row.updated_at),
      ...(row.event_type !== null ? { eventType: row.event_type } : {}),
      ...(row.source !== null ? { source: row.source } : {}),
    };
  }

  /**
   * Deletes this namespace's completed rows past their retention and leases that ended, and returns how many.
   * Optional housekeeping (run it daily, say): such rows never block a claim, they only take space.
   */
  async purgeExpired(): Promise<number> {
    return (await this.#query(this.#sql.purge, [this.#ns])).rowCount ?? 0;
  }

  /** Nothing to free: the pool or client is yours to end. */
  async close(): Promise<void> {}

  async #read(key: string): Promise<Row | undefined> {
    const { rows } = await this.#query(this.#sql.read, [this.#ns, key]);
    return rows[0] as Row | undefined;
  }
}

type Query = (text: string, values: unknown[]) => Promise<{ rows: unknown[]; rowCount: number | null }>;

function serialized(client: PostgresQueryable): Query {
  let tail: Promise<unknown> = Promise.resolve();
  return (text, values) => {
    const run = tail.then(() => client.query(text, values));
    tail = run.catch(() => {});
    return run;
  };
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
