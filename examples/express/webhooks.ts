/**
 * What this app does with WorkOS events: keeps a local copy of directory users, users and organizations in SQLite,
 * and appends every applied event to `applied_events` (an audit trail: each event id appears once, whichever
 * route — webhook or Events API — brought it).
 */
import { createWorkOSWebhookHandler, type WorkOSLogger, type WorkOSWebhookHandler } from 'workos-events';
import { SqliteIdempotencyStore } from 'workos-events/stores/sqlite';
import type { Database } from './database.js';

export interface WebhooksOptions {
  db: Database;
  secret: string | string[];
  logger?: WorkOSLogger;
}

function createTables(db: Database): void {
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
}

/**
 * The webhook handler with this app's listeners, deduplicating through a `SqliteIdempotencyStore` in the same
 * database file (so a restart, or a second process on this machine, still recognises processed events).
 */
export function createWebhooks({ db, secret, logger }: WebhooksOptions): WorkOSWebhookHandler {
  createTables(db);
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

  const webhooks = createWorkOSWebhookHandler({
    secret,
    store: new SqliteIdempotencyStore({ database: db }),
    ...(logger ? { logger } : {}),
  });

  webhooks.on(['dsync.user.created', 'dsync.user.updated'], (event) => {
    // `event` is narrowed to these two types: `event.data` is the directory user.
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
  });
  webhooks.on('dsync.user.deleted', (event) => {
    deleteDirectoryUser.run(event.data.id);
  });
  webhooks.on(['user.created', 'user.updated'], (event) => {
    const u = event.data;
    upsertUser.run(u.id, u.email, u.first_name ?? null, u.last_name ?? null, u.updated_at);
  });
  webhooks.on('organization.updated', (event) => {
    upsertOrganization.run(event.data.id, event.data.name, event.data.updated_at);
  });
  // Runs after the named listeners, for every event type (log ids and types, never the payload: it holds PII).
  webhooks.onAny((event, ctx) => {
    recordApplied.run(event.id, event.event, ctx.source, new Date().toISOString());
  });
  return webhooks;
}
