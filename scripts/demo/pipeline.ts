/**
 * Demo section: the whole pipeline, webhooks plus Events API, with nothing lost.
 *
 * Starts the fake WorkOS Events API holding a stream of realistic events and the Express example (examples/express:
 * its app, handlers and SQLite store, in a temp directory) on a random 127.0.0.1 port. Then it plays WorkOS:
 * delivers each event signed, re-delivers some (duplicates), sends a forged, an unsigned and a stale delivery,
 * and takes the endpoint down for a stretch (those deliveries are lost). Finally it runs `reconcile` against the
 * fake API with the same handler, and checks that the app applied every event of the API exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import { reconcile, type WorkOSEvent, type WorkOSEventName, type WorkOSWebhookHandler } from '../../src/index.js';
import { createFakeWorkOSApi, createTestEvent, signWorkOSWebhook } from '../../src/testing/index.js';
import { loadLibraryFromSource } from './use-source.js';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/express');
const SECRET = 'whsec_demo_pipeline_K8sV2QmZ7rX4';

/** The slice of examples/express/database.ts the demo uses. */
interface ExampleDatabase {
  prepare(sql: string): { all(...params: Array<string | number | null>): unknown[] };
  close(): unknown;
}

/**
 * The example's modules, imported at run time by file URL: they import `workos-events` by name, which the root
 * tsconfig does not map (test/examples/tsconfig.examples.json type-checks them), so their types are restated here.
 */
interface ExpressExample {
  openDatabase(file: string): ExampleDatabase;
  createWebhooks(options: { db: ExampleDatabase; secret: string }): WorkOSWebhookHandler;
  createApp(webhooks: WorkOSWebhookHandler): { listen(port: number, host: string): Server };
}

async function loadExample(): Promise<ExpressExample> {
  loadLibraryFromSource();
  const load = (file: string) => import(pathToFileURL(path.join(EXAMPLE, file)).href);
  const [database, webhooks, app] = await Promise.all([load('database.ts'), load('webhooks.ts'), load('app.ts')]);
  return { ...database, ...webhooks, ...app } as ExpressExample;
}

/** What the demo counted; every number is checked against what should have happened. */
export interface PipelineSummary {
  /** Events in the (fake) Events API: everything that happened. */
  total: number;
  /** HTTP requests sent to the endpoint (including duplicates, rejected and lost ones). */
  attempted: number;
  /** Answered 200 `processed` on their first delivery. */
  deliveredProcessed: number;
  /** Re-deliveries answered 200 `duplicate` (no handler ran). */
  duplicatesSkipped: number;
  /** Copies of one event delivered at the same moment that did not run the handler (200 `duplicate` or 409). */
  simultaneousSkipped: number;
  /** Requests refused, by error code. */
  rejected: Record<string, number>;
  /** Deliveries that never reached the endpoint while it was down. */
  lostWhileDown: number;
  /** Reconcile: events it found already processed. */
  alreadyProcessed: number;
  /** Reconcile: events it processed (missed by webhooks). */
  recovered: number;
  /** Reconcile: events that failed. */
  reconcileFailed: number;
  /** Distinct event ids the app applied (its `applied_events` table). */
  processed: number;
  /** API events the app never applied. */
  lost: number;
  /** Event ids the app applied more than once. */
  appliedTwice: number;
  /** Ids applied that are not in the API (e.g. the forged one got through). */
  unexpected: number;
  /** Answers that differed from what WorkOS's side expected (empty when all went as planned). */
  anomalies: string[];
  /** What the counts must be, derived from the delivery plan. */
  expected: Pick<
    PipelineSummary,
    | 'deliveredProcessed'
    | 'duplicatesSkipped'
    | 'simultaneousSkipped'
    | 'rejected'
    | 'lostWhileDown'
    | 'alreadyProcessed'
    | 'recovered'
  >;
  durationMs: number;
}

type Delivery =
  | { kind: 'genuine'; event: WorkOSEvent; duplicate: boolean }
  | { kind: 'burst'; event: WorkOSEvent; copies: number }
  | { kind: 'stale'; event: WorkOSEvent }
  | { kind: 'forged'; event: WorkOSEvent }
  | { kind: 'unsigned'; event: WorkOSEvent }
  | { kind: 'down'; event: WorkOSEvent };

/** A realistic mix: users provisioned, updated and removed through Directory Sync, AuthKit users, org changes. */
function buildEvents(count: number, startMs: number): WorkOSEvent[] {
  const events: WorkOSEvent[] = [];
  const directoryUsers: string[] = [];
  const at = (i: number) => new Date(startMs + i * 250).toISOString();
  for (let i = 0; i < count; i++) {
    const created_at = at(i);
    const slot = i % 6;
    let event: WorkOSEvent;
    if (slot === 0 || slot === 3) {
      event = createTestEvent('dsync.user.created', {
        created_at,
        data: { email: `employee${i}@example.com`, first_name: 'Employee', last_name: `#${i}` },
      });
      directoryUsers.push(event.data.id as string);
    } else if (slot === 1 && directoryUsers.length > 0) {
      const id = directoryUsers[directoryUsers.length - 1]!;
      event = createTestEvent('dsync.user.updated', { created_at, data: { id, job_title: 'Staff Engineer' } });
    } else if (slot === 2) {
      event = createTestEvent('user.created', { created_at, data: { email: `authkit${i}@example.com` } });
    } else if (slot === 4) {
      event = createTestEvent('organization.updated', { created_at, data: { name: `Acme ${i}` } });
    } else if (slot === 5 && directoryUsers.length > 1) {
      event = createTestEvent('dsync.user.deleted', { created_at, data: { id: directoryUsers.shift()! } });
    } else {
      event = createTestEvent('connection.activated', { created_at });
    }
    events.push(event);
  }
  return events;
}

/** WorkOS's side of the story, in order. */
function planDeliveries(events: WorkOSEvent[]): { plan: Delivery[]; down: [number, number] } {
  const downFrom = Math.floor(events.length * 0.6);
  const downTo = downFrom + Math.max(3, Math.floor(events.length / 6)); // exclusive
  const staleAt = Math.floor(events.length * 0.3);
  const plan: Delivery[] = [];
  events.forEach((event, i) => {
    if (i >= downFrom && i < downTo) plan.push({ kind: 'down', event });
    else if (i === staleAt) plan.push({ kind: 'stale', event });
    // Several deliveries of one event at the same moment (e.g. on several instances): one runs the handler.
    else if (i === 5) plan.push({ kind: 'burst', event, copies: 5 });
    else {
      plan.push({ kind: 'genuine', event, duplicate: false });
      // WorkOS retries when it did not see a 2xx in time: the endpoint gets the same event again.
      if (i % 7 === 3) plan.push({ kind: 'genuine', event, duplicate: true });
    }
    if (i === 10) plan.push({ kind: 'forged', event: createTestEvent('dsync.user.created') });
    if (i === 15) plan.push({ kind: 'unsigned', event: createTestEvent('user.created') });
  });
  return { plan, down: [downFrom, downTo] };
}

/** The counts a correct pipeline produces for `plan`. */
function expectedCounts(plan: Delivery[]): PipelineSummary['expected'] {
  const count = (test: (d: Delivery) => boolean) => plan.filter(test).length;
  const firstDeliveries = count((d) => (d.kind === 'genuine' && !d.duplicate) || d.kind === 'burst');
  const missed = count((d) => d.kind === 'down' || d.kind === 'stale');
  return {
    deliveredProcessed: firstDeliveries,
    duplicatesSkipped: count((d) => d.kind === 'genuine' && d.duplicate),
    simultaneousSkipped: plan.reduce((n, d) => n + (d.kind === 'burst' ? d.copies - 1 : 0), 0),
    rejected: Object.fromEntries(
      Object.entries({
        signature_mismatch: count((d) => d.kind === 'forged'),
        missing_signature: count((d) => d.kind === 'unsigned'),
        timestamp_too_old: count((d) => d.kind === 'stale'),
      }).filter(([, n]) => n > 0),
    ),
    lostWhileDown: count((d) => d.kind === 'down'),
    alreadyProcessed: firstDeliveries,
    recovered: missed,
  };
}

function headersFor(delivery: Delivery, body: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const now = Date.now();
  if (delivery.kind === 'genuine' || delivery.kind === 'down' || delivery.kind === 'burst')
    headers['workos-signature'] = signWorkOSWebhook({ payload: body, secret: SECRET, timestamp: now });
  // Held up somewhere for 10 minutes (or replayed by someone): outside the 5-minute tolerance.
  if (delivery.kind === 'stale')
    headers['workos-signature'] = signWorkOSWebhook({ payload: body, secret: SECRET, timestamp: now - 10 * 60_000 });
  // Someone who does not know the secret.
  if (delivery.kind === 'forged')
    headers['workos-signature'] = signWorkOSWebhook({ payload: body, secret: 'whsec_not_the_real_one' });
  return headers;
}

/** Listens on 127.0.0.1:`port` (0 = any free port) and resolves once it does. */
function start(app: { listen(port: number, host: string): Server }, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

/** A progress bar on a terminal; one line per phase otherwise (CI logs). */
function progress(label: string, total: number) {
  if (!process.stdout.isTTY) {
    console.log(`  ${label} (${total})…`);
    return { update: (_n: number) => {}, stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    { format: `  ${label.padEnd(28)} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n: number) => bar.update(n), stop: () => bar.stop() };
}

/** Runs the pipeline demo and returns what it counted (throws only on a setup failure). */
export async function runPipeline(options: { events?: number } = {}): Promise<PipelineSummary> {
  const started = performance.now();
  const example = await loadExample();
  const dir = mkdtempSync(path.join(tmpdir(), 'workos-events-demo-'));
  const db = example.openDatabase(path.join(dir, 'app.db'));
  const webhooks = example.createWebhooks({ db, secret: SECRET });
  const startMs = Date.now() - 60_000;
  const events = buildEvents(options.events ?? 72, startMs);
  let server: Server | undefined;
  let api: Awaited<ReturnType<typeof createFakeWorkOSApi>> | undefined;
  try {
    server = await start(example.createApp(webhooks), 0);
    api = await createFakeWorkOSApi({ events });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/webhooks/workos`;
    console.log(`  Events API (fake): ${api.url} holding ${events.length} events`);
    console.log(`  Express example:   ${url} (SQLite store in ${dir})`);

    const { plan, down } = planDeliveries(events);
    const summary: PipelineSummary = {
      total: events.length,
      attempted: 0,
      deliveredProcessed: 0,
      duplicatesSkipped: 0,
      simultaneousSkipped: 0,
      rejected: {},
      lostWhileDown: 0,
      alreadyProcessed: 0,
      recovered: 0,
      reconcileFailed: 0,
      processed: 0,
      lost: 0,
      appliedTwice: 0,
      unexpected: 0,
      anomalies: [],
      expected: expectedCounts(plan),
      durationMs: 0,
    };
    const surprises = summary.anomalies;

    let up = true;
    const bar = progress('delivering webhooks', plan.length);
    for (const [n, delivery] of plan.entries()) {
      const index = events.indexOf(delivery.event);
      const inOutage = index >= down[0] && index < down[1];
      if (inOutage && up) {
        await close(server); // the endpoint goes down (a bad deploy, an outage…)
        up = false;
      }
      if (!inOutage && !up && index >= down[1]) {
        up = true;
        // Back up on the same address: WorkOS's later deliveries get through again.
        server = await start(example.createApp(webhooks), port);
      }
      const body = JSON.stringify(delivery.event);
      const send = async () => {
        summary.attempted++;
        try {
          const res = await fetch(url, { method: 'POST', headers: headersFor(delivery, body), body });
          return { status: res.status, answer: (await res.json()) as { status?: string; code?: string } };
        } catch {
          return undefined; // nothing listening: the delivery is lost
        }
      };
      if (delivery.kind === 'burst') {
        const answers = await Promise.all(Array.from({ length: delivery.copies }, send));
        const ran = answers.filter((a) => a?.status === 200 && a.answer.status === 'processed').length;
        const skipped = answers.filter(
          (a) => (a?.status === 200 && a.answer.status === 'duplicate') || a?.answer.code === 'in_progress',
        ).length;
        if (ran === 1) summary.deliveredProcessed++;
        else
          surprises.push(
            `${delivery.copies} simultaneous deliveries of ${delivery.event.id} ran the handler ${ran} times`,
          );
        summary.simultaneousSkipped += skipped;
        bar.update(n + 1);
        continue;
      }
      const result = await send();
      if (!result) {
        if (delivery.kind === 'down') summary.lostWhileDown++;
        else surprises.push(`delivery of ${delivery.event.id} (${delivery.kind}) could not connect`);
        bar.update(n + 1);
        continue;
      }
      const { status, answer } = result;
      if (delivery.kind === 'genuine' && !delivery.duplicate && status === 200 && answer.status === 'processed')
        summary.deliveredProcessed++;
      else if (delivery.kind === 'genuine' && delivery.duplicate && status === 200 && answer.status === 'duplicate')
        summary.duplicatesSkipped++;
      else if (delivery.kind !== 'genuine' && delivery.kind !== 'down' && status === 401 && answer.code)
        summary.rejected[answer.code] = (summary.rejected[answer.code] ?? 0) + 1;
      else
        surprises.push(`${delivery.kind} delivery of ${delivery.event.id}: HTTP ${status} ${JSON.stringify(answer)}`);
      bar.update(n + 1);
    }
    bar.stop();

    // The recovery: read the Events API since before the first event, through the same handler and store.
    const types = [...new Set(events.map((e) => e.event))] as WorkOSEventName[];
    const rbar = progress('reconciling (Events API)', events.length);
    const report = await reconcile({
      since: new Date(startMs - 1_000),
      handler: webhooks,
      apiKey: api.apiKey,
      baseUrl: api.url,
      events: types,
      onProgress: (p) => rbar.update(p.scanned),
    });
    rbar.stop();
    summary.alreadyProcessed = report.alreadyProcessed;
    summary.recovered = report.processedNow;
    summary.reconcileFailed = report.failed.length;
    if (report.scanned !== events.length) surprises.push(`reconcile scanned ${report.scanned}, not ${events.length}`);
    if (report.inProgress !== 0) surprises.push(`reconcile found ${report.inProgress} events still in progress`);

    // Shut the handler down as the example's SIGTERM handler does: everything in flight settles, nothing is abandoned.
    const drain = await webhooks.drain({ timeoutMs: 5_000 });
    if (!drain.drained) surprises.push(`drain timed out: ${drain.abandoned} deliveries abandoned`);

    // The app's own record: every API event applied exactly once, nothing else applied.
    const applied = db.prepare('SELECT event_id FROM applied_events').all() as { event_id: string }[];
    const times = new Map<string, number>();
    for (const { event_id } of applied) times.set(event_id, (times.get(event_id) ?? 0) + 1);
    const apiIds = new Set(events.map((e) => e.id));
    summary.processed = [...times.keys()].filter((id) => apiIds.has(id)).length;
    summary.lost = [...apiIds].filter((id) => !times.has(id)).length;
    summary.appliedTwice = [...times.values()].filter((t) => t > 1).length;
    summary.unexpected = [...times.keys()].filter((id) => !apiIds.has(id)).length;
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  } finally {
    if (server) await close(server).catch(() => {}); // already closed if the run stopped during the outage
    await webhooks.drain({ timeoutMs: 5_000 }); // already drained unless the run stopped early
    db.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every way the summary can differ from what a correct pipeline produces (empty = all good). */
export function checkPipeline(summary: PipelineSummary): string[] {
  const problems = [...summary.anomalies];
  const expect = (name: string, actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted))
      problems.push(`${name}: ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
  };
  const e = summary.expected;
  expect('processed on first delivery', summary.deliveredProcessed, e.deliveredProcessed);
  expect('duplicates skipped', summary.duplicatesSkipped, e.duplicatesSkipped);
  expect('simultaneous copies skipped', summary.simultaneousSkipped, e.simultaneousSkipped);
  const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort());
  expect('rejected by code', sorted(summary.rejected), sorted(e.rejected));
  expect('lost while down', summary.lostWhileDown, e.lostWhileDown);
  expect('reconcile: already processed', summary.alreadyProcessed, e.alreadyProcessed);
  expect('reconcile: recovered', summary.recovered, e.recovered);
  expect('reconcile: failed', summary.reconcileFailed, 0);
  expect('processed', summary.processed, summary.total);
  expect('lost', summary.lost, 0);
  expect('applied more than once', summary.appliedTwice, 0);
  expect('applied but not a WorkOS event', summary.unexpected, 0);
  return problems;
}

/** `npm run demo` section: runs the pipeline, prints the summary, returns true when nothing was lost or off. */
export async function runPipelineDemo(): Promise<boolean> {
  console.log('\n== Webhooks + Events API: one pipeline, nothing lost ==\n');
  const s = await runPipeline();
  const problems = checkPipeline(s);
  const row = (label: string, value: number | string, note = '') =>
    console.log(`  ${label.padEnd(44)} ${String(value).padStart(5)}${note ? `  ${note}` : ''}`);
  console.log('\n  Webhook deliveries');
  row('sent by "WorkOS"', s.attempted);
  row('processed on first delivery (200)', s.deliveredProcessed);
  row('duplicates skipped (200 "duplicate")', s.duplicatesSkipped, 'retries: handlers did not run again');
  row('simultaneous copies skipped (200 / 409)', s.simultaneousSkipped, 'same event 5× at once: handler ran once');
  for (const [code, n] of Object.entries(s.rejected).sort())
    row(`rejected 401 ${code}`, n, REJECTION_NOTES[code] ?? '');
  row('lost: endpoint down', s.lostWhileDown, 'never arrived');
  console.log('\n  Reconciliation (Events API, same handler and store)');
  row('already processed', s.alreadyProcessed);
  row('recovered (missed by webhooks)', s.recovered);
  row('failed', s.reconcileFailed);
  console.log('\n  Result');
  row('events in the Events API', s.total);
  row('processed (each exactly once)', s.processed, `${s.appliedTwice} applied twice, ${s.unexpected} unexpected`);
  row('lost', s.lost);
  console.log(`\n  finished in ${(s.durationMs / 1000).toFixed(1)} s`);
  if (problems.length === 0) {
    console.log(`  OK: processed = total = ${s.total}, lost = 0\n`);
    return true;
  }
  console.error('\n  FAILED:');
  for (const p of problems) console.error(`  - ${p}`);
  return false;
}

const REJECTION_NOTES: Record<string, string> = {
  signature_mismatch: 'forged: signed without the real secret',
  missing_signature: 'unsigned probe',
  timestamp_too_old: 'stale: signed 10 min ago (recovered below)',
};
