/**
 * Items without an id cannot be a cursor, so asking again from the same place (the next poll, or a page requested
 * with the same `after`) serves them again. This counts the id-less items met since the last item with an id (the
 * anchor), so that within one iteration each is handled once: a re-served one is passed over.
 */
export class IdlessItems {
  #anchor: string | undefined;
  /** Id-less items after the anchor already handled in this iteration. */
  #handled = 0;
  /** Id-less items after the anchor met in the current pass over the list. */
  #position = 0;

  constructor(start: string | undefined) {
    this.#anchor = start;
  }

  /** The last item with an id (or where the iteration started): where an id-less item is, for messages. */
  get anchor(): string | undefined {
    return this.#anchor;
  }

  /** A page requested with `after`: when that is the anchor, the pass starts again right after it. */
  page(after: string | undefined): void {
    if (after === this.#anchor) this.#position = 0;
  }

  /** An item with an id: it is the new anchor. */
  passed(id: string): void {
    this.#anchor = id;
    this.#handled = 0;
    this.#position = 0;
  }

  /** An item without an id: true when this iteration has already handled it (the server served it again). */
  repeat(): boolean {
    this.#position++;
    if (this.#position <= this.#handled) return true;
    this.#handled = this.#position;
    return false;
  }
}
