import type { FakeApiFault, FakeApiFaultOptions } from './types.js';

const DEFAULT_KINDS: readonly FakeApiFault[] = [
  { type: 'rate_limit' },
  { type: 'rate_limit', retryAfter: 0 },
  { type: 'rate_limit', body: 'text' },
  { type: 'server_error' },
  { type: 'server_error', status: 503 },
  { type: 'reset' },
  { type: 'slow', delayMs: 30 },
  { type: 'truncated' },
];

/** mulberry32: a small seeded PRNG, so a fault sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides the fault (if any) of each successive `GET /events` request. */
export class FaultPlan {
  private readonly queue: FakeApiFault[] = [];
  private readonly schedule: readonly (FakeApiFault | null | undefined)[];
  private readonly rate: number;
  private readonly kinds: readonly FakeApiFault[];
  private readonly random: () => number;
  private position = 0;

  constructor(options: FakeApiFaultOptions = {}) {
    this.schedule = options.schedule ?? [];
    this.rate = options.rate ?? 0;
    if (!(this.rate >= 0 && this.rate <= 1))
      throw new RangeError('createFakeWorkOSApi: `faults.rate` must be in [0, 1].');
    this.kinds = options.kinds?.length ? options.kinds : DEFAULT_KINDS;
    this.random = prng(options.seed ?? 1);
  }

  inject(faults: FakeApiFault[]): void {
    this.queue.push(...faults);
  }

  next(): FakeApiFault | undefined {
    const queued = this.queue.shift();
    if (queued) return queued;
    const n = this.position++;
    if (n < this.schedule.length) return this.schedule[n] ?? undefined;
    if (this.rate > 0 && this.random() < this.rate) return this.kinds[Math.floor(this.random() * this.kinds.length)];
    return undefined;
  }
}
