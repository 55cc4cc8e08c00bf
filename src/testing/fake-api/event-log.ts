import type { FakeEventSource, FakeWorkOSEvent } from './types.js';

/**
 * The fake's events, oldest first: an initial list or lazy source, then appended events. Finds an event's position
 * by id (a map for held events; over a lazy source, binary search when its ids increase with the index, else a scan).
 */
export class EventLog {
  private readonly base: FakeEventSource;
  private readonly baseIndex: Map<string, number> | undefined;
  private readonly appended: FakeWorkOSEvent[] = [];
  private readonly appendedIndex = new Map<string, number>();

  constructor(events: readonly FakeWorkOSEvent[] | FakeEventSource | undefined) {
    if (events === undefined || Array.isArray(events)) {
      const list = (events ?? []) as readonly FakeWorkOSEvent[];
      this.base = { count: list.length, generate: (i) => list[i] as FakeWorkOSEvent };
      this.baseIndex = new Map(list.map((e, i) => [e.id, i]));
    } else {
      const source = events as FakeEventSource;
      if (!Number.isInteger(source.count) || source.count < 0 || typeof source.generate !== 'function') {
        throw new TypeError('createFakeWorkOSApi: `events` must be an array or { count, generate(i) }.');
      }
      this.base = source;
      this.baseIndex = undefined;
    }
  }

  get size(): number {
    return this.base.count + this.appended.length;
  }

  at(index: number): FakeWorkOSEvent | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return index < this.base.count ? this.base.generate(index) : this.appended[index - this.base.count];
  }

  append(event: FakeWorkOSEvent): void {
    if (!event || typeof event.id !== 'string' || typeof event.event !== 'string') {
      throw new TypeError('append: an event needs string `id` and `event`.');
    }
    this.appendedIndex.set(event.id, this.base.count + this.appended.length);
    this.appended.push(event);
  }

  indexOf(id: string): number | undefined {
    const appended = this.appendedIndex.get(id);
    if (appended !== undefined) return appended;
    if (this.baseIndex) return this.baseIndex.get(id);
    let lo = 0;
    let hi = this.base.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const midId = this.base.generate(mid).id;
      if (midId === id) return mid;
      if (midId < id) lo = mid + 1;
      else hi = mid - 1;
    }
    // Ids that do not sort with their index (e.g. `evt_${i}`): a scan, slower but never a false "not found".
    for (let i = 0; i < this.base.count; i++) if (this.base.generate(i).id === id) return i;
    return undefined;
  }
}
