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
    this.#count++;
  }

  onAny(fn: unknown): void {
    checkListener('onAny', fn);
    this.#any.push(fn as EventListener);
    this.#count++;
  }

  onUnknown(fn: unknown): void {
    checkListener('onUnknown', fn);
    this.#unknown.push(fn as EventListener);
    this.#count++;
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

  /** The listeners for `event`, in order: named, then `onUnknown` (unknown types only), then `onAny`. A copy, so a
   * listener added during dispatch waits for the next event. Empty when nobody listens to this type. */
  listenersFor(event: WorkOSEvent): EventListener[] {
    const named = this.#named.get(event.event);
    if (this.#unknown.length === 0 && this.#any.length === 0) return named ? named.slice() : [];
    return [
      ...(named ?? []),
      ...(this.#unknown.length > 0 && !isKnownWorkOSEventName(event.event) ? this.#unknown : []),
      ...this.#any,
    ];
  }

  /** Runs `listeners` in order; the first that throws stops the rest, is reported to `onError`, and is rethrown. */
  async dispatch(listeners: EventListener[], event: WorkOSEvent, ctx: HandlerContext, logger: WorkOSLogger) {
    for (const listener of listeners) {
      try {
        await listener(event, ctx);
      } catch (error) {
        for (const onError of this.#errorListeners) {
          try {
            await onError(error, event, ctx);
          } catch (listenerError) {
            safeLog(logger, 'error', { ...eventFields(event), err: listenerError }, 'WorkOS onError listener threw');
          }
        }
        throw error;
      }
    }
  }
}
