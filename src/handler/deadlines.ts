/** A pending deadline: `fire` runs at `at` unless `cancel()` was called first. */
export interface Deadline {
  readonly at: number;
  cancel(): void;
}

interface Entry extends Deadline {
  fire: (() => void) | undefined;
}

/**
 * Deadlines that all have the same length, on one timer. Inline mode arms one per delivery and almost always cancels
 * it: a `setTimeout` + `clearTimeout` pair per request costs more than the rest of the handler core. Entries expire in
 * the order they were armed (same length), so a FIFO with one timer for its head is exact.
 */
export class DeadlineQueue {
  readonly #ms: number;
  readonly #now: () => number;
  #entries: Entry[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ms: number, now: () => number = Date.now) {
    this.#ms = ms;
    this.#now = now;
  }

  /** Calls `fire` after the queue's length of time, unless cancelled. */
  arm(fire: () => void): Deadline {
    const entry: Entry = {
      at: this.#now() + this.#ms,
      fire,
      cancel() {
        entry.fire = undefined;
      },
    };
    this.#entries.push(entry);
    if (this.#timer === undefined) this.#schedule(this.#ms);
    return entry;
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, delay));
    // A pending deadline alone must not keep a process alive (the work it watches does, if it still runs).
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = this.#now();
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const entry = entries[this.#head]!;
      if (entry.fire !== undefined && entry.at > now) break;
      this.#head++;
      const fire = entry.fire;
      entry.fire = undefined;
      fire?.();
    }
    // Compact once the consumed prefix dominates, so the array does not grow forever.
    if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
    const next = this.#entries[this.#head];
    if (next) this.#schedule(next.at - now);
    else {
      this.#entries = [];
      this.#head = 0;
    }
  }
}
