/**
 * What the poller does with each event: keep a local copy of directory users, users and organizations, and append
 * the event to `applied_events` (an audit trail: each event id appears once). Every event is applied inside an
 * idempotency claim, so an event that a webhook receiver sharing this store already handled is skipped, and one
 * re-read after a crash is not applied twice.
 */
import type { IdempotencyStore, WorkOSEvent } from 'workos-events';
import type { Database } from './database.js';

export type ApplyOutcome = 'applied' | 'duplicate';

/** How long a claim is held while an event is applied (after that another process may take it over). */
const LEASE_MS = 60_000;

export function createApplier(db: Database, store: IdempotencyStore) {
  db.exec(`
CREATE TABLE IF NOT EXISTS directory_users (
  id TEXT PRIMARY KEY, organization_id TEXT, email TEXT, first_name TEXT, last_name TEXT, state TEXT, updated_at TEXT
);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT, first_name TEXT, last_name TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS organizations (id TEXT PRIMARY KEY, name TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS applied_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, event_type TEXT NOT NULL, source TEXT NOT NULL,
  applied_at TEXT NOT NULL
);`);
  const upsertDirectoryUser = db.prepare(
    `INSERT INTO directory_users (id, organization_id, email, first_name, last_name, state, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, email = excluded.email,
       first_name = excluded.first_name, last_name = excluded.last_name, state = excluded.state,
       updated_at = excluded.updated_at`,
  );
  const deleteDirectoryUser = db.prepare('DELETE FROM directory_users WHERE id = ?');
  const upsertUser = db.prepare(
    `INSERT INTO users (id, email, first_name, last_name, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name,
       last_name = excluded.last_name, updated_at = excluded.updated_at`,
  );
  const upsertOrganization = db.prepare(
    `INSERT INTO organizations (id, name, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
  );
  const recordApplied = db.prepare(
    'INSERT INTO applied_events (event_id, event_type, source, applied_at) VALUES (?, ?, ?, ?)',
  );

  function write(event: WorkOSEvent): void {
    switch (event.event) {
      case 'dsync.user.created':
      case 'dsync.user.updated': {
        const u = event.data;
        upsertDirectoryUser.run(
          u.id,
          u.organization_id ?? null,
          u.email ?? null,
          u.first_name ?? null,
          u.last_name ?? null,
          u.state,
          u.updated_at,
        );
        break;
      }
      case 'dsync.user.deleted':
        deleteDirectoryUser.run(event.data.id);
        break;
      case 'user.created':
      case 'user.updated':
        upsertUser.run(
          event.data.id,
          event.data.email,
          event.data.first_name ?? null,
          event.data.last_name ?? null,
          event.data.updated_at,
        );
        break;
      case 'organization.updated':
        upsertOrganization.run(event.data.id, event.data.name, event.data.updated_at);
        break;
    }
    recordApplied.run(event.id, event.event, 'api', new Date().toISOString());
  }

  /**
   * Applies `event` once. Throws when it cannot (the claim is released, and the cursor stays before the event, so
   * the next run tries it again).
   */
  return async function apply(event: WorkOSEvent): Promise<ApplyOutcome> {
    for (let attempt = 0; ; attempt++) {
      const claim = await store.claim(event.id, { leaseMs: LEASE_MS, eventType: event.event, source: 'api' });
      if (claim.status === 'duplicate') return 'duplicate';
      if (claim.status === 'claimed') {
        try {
          // One transaction: the data and the audit row land together or not at all.
          db.exec('BEGIN IMMEDIATE');
          try {
            write(event);
            db.exec('COMMIT');
          } catch (error) {
            db.exec('ROLLBACK');
            throw error;
          }
        } catch (error) {
          await store.release(event.id, claim.token);
          throw error;
        }
        await store.complete(event.id, claim.token);
        return 'applied';
      }
      // in_progress: another process (a webhook receiver sharing the store) is applying it right now.
      if (attempt >= 20) throw new Error(`event ${event.id} stayed in progress elsewhere; will retry next run`);
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
  };
}
