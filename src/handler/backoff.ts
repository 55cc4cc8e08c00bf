import type { RetryPolicy } from './config.js';

/**
 * The wait before attempt `failed + 1`: exponential from `backoffMs`, capped at `maxBackoffMs`, with "equal jitter"
 * (half fixed, half random) so retries of many events spread out but never come back at once.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (failedAttempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
