import type { WorkOSEvent } from '../events/index.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import { retryDelayMs } from './backoff.js';
import type { HandlerConfig, RetryPolicy } from './config.js';
import { WorkOSHandlerError } from './errors.js';
import type { ListenerRegistry } from './registry.js';
import type { Shutdown } from './shutdown.js';
import type { Telemetry } from './telemetry.js';
import { startSpan } from './tracing.js';
import type { EventListener, EventSource, FailureInfo, HandlerContext, ProcessResult } from './types.js';
import { objectVersionOf, type VersionStore } from './version-store.js';

/** How one claimed event is run. */
export interface RunOptions {
  source: EventSource;
  /** Epoch ms when the delivery arrived (`ctx.receivedAt`, durations). */
  started: number;
  /** Inline mode: when the delivery is answered 202 (given to the first attempt's `ctx.deadline`). */
  deadline?: number;
  /** In-process retries for acknowledged work; undefined = one attempt. */
  retry?: RetryPolicy;
  /**
   * Asked at the moment an attempt fails: true when a 2xx already went out (so WorkOS will not retry). The inline
   * mode latches its answer here, so a failure and the 202 deadline can never both win.
   */
  acknowledged: () => boolean;
  /** `onFailed`'s `final` when it cannot be derived (`process()` callers say it); default: `acknowledged`. */
  final?: boolean;
  /**
   * Called before the run first waits on a promise of a listener, an `onError` listener or the out-of-order guard
   * (never when all of them are synchronous), from within the `run()` call itself the first time: the inline mode
   * arms its deadline timer here, so a delivery whose listeners return no promise sets no timer.
   */
  onAsync?(): void;
}

/** What `begin` decided: run these listeners under this claim, or the event is settled already. */
export type Begin =
  | { run: true; token: string; listeners: readonly EventListener[] }
  | { run: false; result: ProcessResult; unavailable?: boolean };

/**
 * The claim lifecycle of one event: claim → dispatch → complete, or release (and retry while acknowledged). Knows the
 * store, the registry and the out-of-order guard; knows nothing of HTTP.
 */
export class EventLifecycle {
  /** Claims held right now (key → token), released by a drain that times out. */
  readonly #claims = new Map<string, string>();
  readonly #store: IdempotencyStore;
  readonly #cfg: HandlerConfig;
  readonly #registry: ListenerRegistry;
  readonly #telemetry: Telemetry;
  readonly #versions: VersionStore | undefined;
  readonly #shutdown: Shutdown;
  /** `store.complete`'s options, the same for every event. */
  readonly #completeOptions: { retainMs?: number };
  #warnedNoListeners = false;

  constructor(deps: {
    store: IdempotencyStore;
    cfg: HandlerConfig;
    registry: ListenerRegistry;
    telemetry: Telemetry;
    versions: VersionStore | undefined;
    shutdown: Shutdown;
  }) {
    this.#store = deps.store;
    this.#cfg = deps.cfg;
    this.#registry = deps.registry;
    this.#telemetry = deps.telemetry;
    this.#versions = deps.versions;
    this.#shutdown = deps.shutdown;
    const retainMs = deps.cfg.retainMs;
    this.#completeOptions = retainMs ? { retainMs } : {};
  }

  /**
   * Everything before the listeners: refuse when nobody listens at all (nothing may be acknowledged or completed),
   * claim, and settle duplicates, in-progress claims and events nobody listens to (completed as `ignored`).
   */
  async begin(event: WorkOSEvent, source: EventSource, started: number): Promise<Begin> {
    if (this.#registry.empty) return { run: false, result: this.#noListeners(event, started) };
    let claim: Awaited<ReturnType<IdempotencyStore['claim']>>;
    try {
      // Stores record where a claim came from as 'webhook' | 'api': a queue job is a webhook delivery, enqueued.
      const origin = source === 'queue' ? 'webhook' : source;
      claim = await this.#store.claim(event.id, { leaseMs: this.#cfg.leaseMs, eventType: event.event, source: origin });
    } catch (cause) {
      this.#telemetry.log(
        'error',
        event,
        { channel: source, err: cause },
        'WorkOS event not processed: the idempotency store failed to claim it',
      );
      const error = new WorkOSHandlerError('store_unavailable', 'The idempotency store failed to claim the event.', {
        cause,
      });
      return {
        run: false,
        unavailable: true,
        result: { outcome: 'failed', durationMs: this.#elapsed(started), error },
      };
    }
    if (claim.status !== 'claimed') {
      this.#telemetry.outcome(claim.status, event, { source });
      return { run: false, result: { outcome: claim.status, durationMs: this.#elapsed(started) } };
    }
    this.#claims.set(event.id, claim.token);
    const listeners = this.#registry.listenersFor(event);
    if (listeners.length > 0) return { run: true, token: claim.token, listeners };
    await this.#complete(event, claim.token, source);
    const durationMs = this.#elapsed(started);
    this.#telemetry.outcome('ignored', event, { source, durationMs });
    return { run: false, result: { outcome: 'ignored', durationMs, attempts: 0 } };
  }

  /** Runs the listeners of a claimed event, retrying while acknowledged, and completes or releases. Never rejects. */
  async run(
    event: WorkOSEvent,
    token: string,
    listeners: readonly EventListener[],
    opts: RunOptions,
  ): Promise<ProcessResult> {
    const { source, started } = opts;
    const shutdown = this.#shutdown;
    const versions = this.#versions;
    const tracer = this.#telemetry.tracer();
    const span =
      tracer &&
      startSpan(tracer, 'workos.event.process', {
        'workos.event.type': event.event,
        'workos.event.id': event.id,
        'workos.source': source,
      });
    for (let attempt = 1; ; attempt++) {
      // `signal` stays an own (enumerable) property, so `{ ...ctx }` keeps it; its controller is made on first read.
      let controller: AbortController | undefined;
      const ctx: HandlerContext = {
        source,
        receivedAt: started,
        get signal() {
          controller ??= shutdown.controller();
          return controller.signal;
        },
        logger: this.#telemetry.logger,
        attempt,
      };
      if (attempt === 1 && opts.deadline !== undefined) ctx.deadline = opts.deadline;
      let error: unknown;
      try {
        // One attempt: out-of-order check, dispatch, complete. Synchronous up to the first promise it has to wait
        // for (see `RunOptions.onAsync`).
        if (shutdown.aborted) throw shutdown.reason;
        let outcome: 'processed' | 'skipped_stale' = 'processed';
        const version = versions ? objectVersionOf(event.data) : undefined;
        if (version && versions) {
          opts.onAsync?.();
          const last = await versions.get(version.id);
          if (last !== undefined && version.version < last) outcome = 'skipped_stale';
        }
        if (outcome === 'processed') {
          const dispatched = this.#registry.dispatch(listeners, event, ctx, this.#telemetry.logger, opts);
          if (dispatched) await dispatched;
          // A drain that timed out already released this claim: leave the event to the retry, do not complete it.
          if (shutdown.aborted && this.#claims.get(event.id) !== token) throw shutdown.reason;
          if (version && versions) await versions.setIfNewer(version.id, version.version);
        }
        await this.#complete(event, token, source);
        const durationMs = this.#elapsed(started);
        this.#telemetry.outcome(outcome, event, { source, durationMs }, span);
        return { outcome, durationMs, attempts: attempt };
      } catch (thrown) {
        error = thrown;
      } finally {
        if (controller) shutdown.forget(controller);
      }
      const acknowledged = opts.acknowledged();
      const retry = opts.retry;
      if (acknowledged && retry && attempt < retry.attempts && !shutdown.aborted) {
        const delayMs = retryDelayMs(retry, attempt);
        this.#telemetry.retrying(event, error, { source, attempt, delayMs });
        if (await shutdown.sleep(delayMs)) continue;
      }
      this.#forget(event.id, token);
      await this.#release(event, token, source);
      const durationMs = this.#elapsed(started);
      const failure: FailureInfo = { source, acknowledged, attempts: attempt, final: opts.final ?? acknowledged };
      this.#telemetry.outcome('failed', event, { source, durationMs, error, failure }, span);
      return { outcome: 'failed', durationMs, error, attempts: attempt };
    }
  }

  /** Releases every claim held right now (a drain that timed out), so a retry or `reconcile` runs them again. */
  async releaseAll(): Promise<number> {
    const claims = [...this.#claims];
    this.#claims.clear();
    const released = await Promise.allSettled(claims.map(([key, token]) => this.#store.release(key, token)));
    return released.filter((r) => r.status === 'fulfilled').length;
  }

  #noListeners(event: WorkOSEvent, started: number): ProcessResult {
    const error = new WorkOSHandlerError(
      'no_listeners',
      'The WorkOS webhook handler has no listener: nothing was acknowledged or completed. ' +
        "Register one with webhooks.on('event.name', fn) or webhooks.onAny(fn) before serving deliveries.",
    );
    if (!this.#warnedNoListeners) {
      this.#warnedNoListeners = true;
      this.#telemetry.log('error', event, { code: 'no_listeners' }, error.message);
    }
    return { outcome: 'failed', durationMs: this.#elapsed(started), error, attempts: 0 };
  }

  /** Completes the claim. A store failure here is logged, not retried: the listeners already ran. */
  async #complete(event: WorkOSEvent, token: string, source: EventSource): Promise<void> {
    this.#forget(event.id, token);
    let ok: boolean;
    try {
      ok = await this.#store.complete(event.id, token, this.#completeOptions);
    } catch (error) {
      this.#telemetry.log(
        'error',
        event,
        { channel: source, err: error },
        'WorkOS event processed but could not be completed',
      );
      return;
    }
    if (!ok) {
      this.#telemetry.log(
        'warn',
        event,
        { channel: source, lease_ms: this.#cfg.leaseMs },
        'WorkOS event finished after its claim lease ended: another delivery may run it again (raise leaseMs)',
      );
    }
  }

  async #release(event: WorkOSEvent, token: string, source: EventSource): Promise<void> {
    try {
      await this.#store.release(event.id, token);
    } catch (error) {
      this.#telemetry.log('error', event, { channel: source, err: error }, 'WorkOS event claim could not be released');
    }
  }

  /** Stops tracking a claim, unless a later claim of the same key (after a lost lease) replaced it. */
  #forget(key: string, token: string): void {
    if (this.#claims.get(key) === token) this.#claims.delete(key);
  }

  #elapsed(started: number): number {
    return this.#cfg.now() - started;
  }
}
