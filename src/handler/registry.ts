import { isKnownWorkOSEventName, type WorkOSEvent, type WorkOSEventName } from '../events/index.js';
import { eventFields, safeLog, type WorkOSLogger } from './logger.js';
import type { ErrorListener, EventListener, HandlerContext } from './types.js';

/** Registration errors surface where the listener is added, not on the first delivery. */
function checkListener(method: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`webhooks.${method}(…) needs a listener function.`);
}

/**
 * Who listens to what: `on` (by name), `onUnknown`, `onAny`, `onError`. Knows nothing of HTTP, stores or modes.
 * `listenersFor` answers the three cases the lifecycle must tell apart: no listener at all (nothing may be
 * acknowledged), none for this type (ignored, completed), or the list to run.
 */
export class ListenerRegistry {
  readonly #named = new Map<string, EventListener[]>();
  readonly #any: EventListener[] = [];
  readonly #unknown: EventListener[] = [];
  readonly #errorListeners: ErrorListener[] = [];
  /** `listenersFor` answers per event type, built once and dropped on every registration (never mutated). */
  readonly #cache = new Map<string, EventListener[]>();
  #count = 0;

  on(names: string | readonly string[], fn: unknown): void {
    checkListener('on', fn);
    const list = typeof names === 'string' ? [names] : names;
    if (list.length === 0) return; // nothing to listen to: not a listener
    for (const n of list) {
      const listeners = this.#named.get(n) ?? [];
      listeners.push(fn as EventListener);
      this.#named.set(n, listeners);
    }
    this.#changed();
  }

  onAny(fn: unknown): void {
    checkListener('onAny', fn);
    this.#any.push(fn as EventListener);
    this.#changed();
  }

  onUnknown(fn: unknown): void {
    checkListener('onUnknown', fn);
    this.#unknown.push(fn as EventListener);
    this.#changed();
  }

  onError(fn: unknown): void {
    checkListener('onError', fn);
    this.#errorListeners.push(fn as ErrorListener);
  }

  /** True when not a single event listener is registered (`onError` does not count). */
  get empty(): boolean {
    return this.#count === 0;
  }

  names(): WorkOSEventName[] {
    return [...this.#named.keys()] as WorkOSEventName[];
  }

  #changed(): void {
    this.#count++;
    this.#cache.clear();
  }

  /** The listeners for `event`, in order: named, then `onUnknown` (unknown types only), then `onAny`. Never mutated
   * (a registration builds new lists), so a listener added during dispatch waits for the next event. Empty when
   * nobody listens to this type. */
  listenersFor(event: WorkOSEvent): readonly EventListener[] {
    const type = event.event;
    let listeners = this.#cache.get(type);
    if (!listeners) {
      listeners = [
        ...(this.#named.get(type) ?? []),
        ...(this.#unknown.length > 0 && !isKnownWorkOSEventName(type) ? this.#unknown : []),
        ...this.#any,
      ];
      // Bounded: event types are a fixed list, but onUnknown may see arbitrary ones.
      if (this.#cache.size >= 512) this.#cache.clear();
      this.#cache.set(type, listeners);
    }
    return listeners;
  }

  /**
   * Runs `listeners` in order; the first that throws stops the rest, is reported to `onError`, and is rethrown (as a
   * rejection). Synchronous listeners run without a promise in between: the result is undefined when none returned
   * one. `run.onAsync` is called before the first promise (a listener's or an `onError`'s) is awaited.
   */
  dispatch(
    listeners: readonly EventListener[],
    event: WorkOSEvent,
    ctx: HandlerContext,
    logger: WorkOSLogger,
    run?: { onAsync?(): void },
  ): Promise<void> | undefined {
    for (let i = 0; i < listeners.length; i++) {
      let result: unknown;
      let thenable: boolean;
      try {
        result = listeners[i]!(event, ctx);
        thenable = isThenable(result); // inside the try: a `then` getter may throw too
      } catch (error) {
        return this.#failed(error, event, ctx, logger, run);
      }
      if (thenable) {
        run?.onAsync?.();
        return this.#dispatchAsync(result as PromiseLike<unknown>, i + 1, listeners, event, ctx, logger);
      }
    }
    return undefined;
  }

  async #dispatchAsync(
    pending: PromiseLike<unknown>,
    from: number,
    listeners: readonly EventListener[],
    event: WorkOSEvent,
    ctx: HandlerContext,
    logger: WorkOSLogger,
  ): Promise<void> {
    let i = from;
    try {
      await pending;
      for (; i < listeners.length; i++) await listeners[i]!(event, ctx);
    } catch (error) {
      await this.#failed(error, event, ctx, logger);
    }
  }

  /** Reports `error` to the `onError` listeners, then rejects with it. */
  async #failed(
    error: unknown,
    event: WorkOSEvent,
    ctx: HandlerContext,
    logger: WorkOSLogger,
    run?: { onAsync?(): void },
  ): Promise<never> {
    for (const onError of this.#errorListeners) {
      try {
        const reported = onError(error, event, ctx);
        if (isThenable(reported)) {
          run?.onAsync?.();
          await reported;
        }
      } catch (listenerError) {
        safeLog(logger, 'error', { ...eventFields(event), err: listenerError }, 'WorkOS onError listener threw');
      }
    }
    throw error;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
