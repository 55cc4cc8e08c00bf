/**
 * The handler's "give up" switch, thrown by a `drain({ timeoutMs })` that timed out. Not one shared AbortController:
 * workerd forbids making one at global scope (where handlers are usually created) and binds each controller to the
 * request that made it ("Cannot perform I/O on behalf of a different request"). So `ctx.signal` is a controller per
 * run, made only when a listener reads it, and aborted from here.
 */
export class Shutdown {
  #reason: Error | undefined;
  readonly #controllers = new Set<AbortController>();
  readonly #wakers = new Set<() => void>();

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  get reason(): Error | undefined {
    return this.#reason;
  }

  abort(reason: Error): void {
    if (this.#reason) return;
    this.#reason = reason;
    for (const controller of this.#controllers) controller.abort(reason);
    for (const wake of this.#wakers) wake();
  }

  /** A controller for one run's `ctx.signal` (made when a listener first reads it), aborted by `abort`. */
  controller(): AbortController {
    const controller = new AbortController();
    if (this.#reason) controller.abort(this.#reason);
    else this.#controllers.add(controller);
    return controller;
  }

  /** The run of `controller` ended: stop tracking it. */
  forget(controller: AbortController): void {
    this.#controllers.delete(controller);
  }

  /** Waits `ms` on a real timer; resolves false at once (and early) when aborted. */
  sleep(ms: number): Promise<boolean> {
    if (this.#reason) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.#wakers.delete(wake);
        resolve(true);
      }, ms);
      this.#wakers.add(wake);
    });
  }
}
