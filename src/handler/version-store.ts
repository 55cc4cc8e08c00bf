/**
 * Where the out-of-order guard remembers the newest `updated_at` (epoch ms) applied per object id.
 * Implement it over your database to share it between instances; {@link MemoryVersionStore} is per process.
 *
 * @example
 * ```ts
 * const versions: VersionStore = {
 *   get: async (id) => (await db.get('select v from versions where id = ?', id))?.v,
 *   setIfNewer: async (id, v) => { await db.run('insert … on conflict (id) do update set v = max(v, excluded.v)', id, v); },
 * };
 * createWorkOSWebhookHandler({ outOfOrderGuard: versions });
 * ```
 */
export interface VersionStore {
  /** The newest version applied for `objectId`, if any. */
  get(objectId: string): Promise<number | undefined> | number | undefined;
  /** Record `version` unless a newer one is already stored. */
  setIfNewer(objectId: string, version: number): Promise<void> | void;
}

/**
 * In-memory {@link VersionStore}, bounded (least recently written ids are dropped first). Single process only.
 *
 * @example
 * ```ts
 * const webhooks = createWorkOSWebhookHandler({ outOfOrderGuard: new MemoryVersionStore({ maxEntries: 50_000 }) });
 * ```
 */
export class MemoryVersionStore implements VersionStore {
  readonly #versions = new Map<string, number>();
  readonly #max: number;

  constructor(opts: { maxEntries?: number } = {}) {
    this.#max = opts.maxEntries ?? 100_000;
  }

  get(objectId: string): number | undefined {
    return this.#versions.get(objectId);
  }

  setIfNewer(objectId: string, version: number): void {
    const current = this.#versions.get(objectId);
    if (current !== undefined && current >= version) return;
    this.#versions.delete(objectId);
    this.#versions.set(objectId, version);
    if (this.#versions.size > this.#max) {
      const oldest = this.#versions.keys().next().value;
      if (oldest !== undefined) this.#versions.delete(oldest);
    }
  }
}

/** The object id and `updated_at` (epoch ms) an event carries, or undefined when the guard does not apply. */
export function objectVersionOf(data: unknown): { id: string; version: number } | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { id, updated_at } = data as { id?: unknown; updated_at?: unknown };
  if (typeof id !== 'string' || typeof updated_at !== 'string') return undefined;
  const version = Date.parse(updated_at);
  return Number.isFinite(version) ? { id, version } : undefined;
}
