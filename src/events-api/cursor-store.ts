/**
 * Where an Events API consumer keeps its place: the id of the last event it finished. `load` is called once when an
 * iteration starts (undefined = no saved place); `save` after each finished event (or page, see `checkpoint`) and
 * when the iteration stops. Implement it over your own database to resume across deploys.
 *
 * @example
 * ```ts
 * const store: CursorStore = {
 *   load: async () => (await db.get('workos_cursor')) ?? undefined,
 *   save: async (cursor) => db.set('workos_cursor', cursor),
 * };
 * for await (const event of pollEvents({ events: ['user.created'], cursorStore: store })) await handle(event);
 * ```
 */
export interface CursorStore {
  load(): Promise<string | undefined>;
  save(cursor: string): Promise<void>;
}

/**
 * A {@link CursorStore} in memory: survives across iterations in one process, not a restart. Handy in tests and for
 * reading `cursor` after a run.
 *
 * @example
 * ```ts
 * const store = new MemoryCursorStore();
 * for await (const event of listEvents({ events: ['user.created'], cursorStore: store })) handle(event);
 * console.log('resume from', store.cursor);
 * ```
 */
export class MemoryCursorStore implements CursorStore {
  /** The last saved cursor. */
  cursor: string | undefined;

  constructor(initial?: string) {
    this.cursor = initial;
  }

  async load(): Promise<string | undefined> {
    return this.cursor;
  }

  async save(cursor: string): Promise<void> {
    this.cursor = cursor;
  }
}
