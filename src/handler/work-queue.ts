/**
 * A bounded in-process queue: at most `concurrency` tasks run, at most `maxQueued` wait (so `concurrency + maxQueued`
 * events are held at most). A slot is reserved before
 * the (async) claim so concurrent deliveries cannot overfill it. Lost with the process by design: the store's lease
 * lets WorkOS's retry pick a lost event up again.
 */
export class WorkQueue {
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #waiting: Array<() => Promise<unknown>> = [];
  #reserved = 0;
  #running = 0;
  /** Runs after every task (one function for all of them, not a closure per task). */
  readonly #next = () => {
    this.#running--;
    this.#pump();
  };

  constructor(concurrency: number, maxQueued: number) {
    this.#concurrency = concurrency;
    this.#maxQueued = maxQueued;
  }

  /** Events running or waiting (the `workos.webhook.queue.depth` gauge). */
  get depth(): number {
    return this.#running + this.#waiting.length;
  }

  /** Takes a slot, or returns false when the queue is full. Follow with `push` or `unreserve`. */
  reserve(): boolean {
    if (this.#running + this.#waiting.length + this.#reserved >= this.#concurrency + this.#maxQueued) return false;
    this.#reserved++;
    return true;
  }

  unreserve(): void {
    this.#reserved--;
  }

  /** Runs `task` in a reserved slot. `task` must not reject (it reports its own failures). */
  push(task: () => Promise<unknown>): void {
    this.#reserved--;
    this.#waiting.push(task);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#waiting.length > 0) {
      const task = this.#waiting.shift()!;
      this.#running++;
      void task().then(this.#next, this.#next);
    }
  }
}
