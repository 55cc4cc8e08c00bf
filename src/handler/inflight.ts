/**
 * Counts deliveries from the moment `handle()` / `process()` is entered until their work has fully settled
 * (including background runs, work continuing after a 202, and in-process retries), so `drain()` can wait for all
 * of them. A counter, not a set of promises: the hot path pays two integer updates.
 */
export class InflightTracker {
  #count = 0;
  #waiters: Array<() => void> = [];

  get size(): number {
    return this.#count;
  }

  enter(): void {
    this.#count++;
  }

  leave(): void {
    if (--this.#count > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Counts `work` until it settles (it must not reject). */
  hold(work: Promise<unknown>): void {
    this.enter();
    void work.finally(() => this.leave());
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
