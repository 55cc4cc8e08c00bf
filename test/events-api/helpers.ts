import {
  createFakeEventGenerator,
  createFakeWorkOSApi,
  FAKE_EVENT_TYPES,
  type FakeWorkOSApi,
  type FakeWorkOSApiOptions,
} from '../../src/testing/fake-api/index.js';

/** The types the fake's generator produces (all of them, so a filter drops nothing). */
export const ALL_TYPES = FAKE_EVENT_TYPES;

/** Starts a fake with `count` generated events (all six default types) and closes it after the test. */
export async function withFake<T>(
  count: number,
  fn: (api: FakeWorkOSApi) => Promise<T>,
  options: FakeWorkOSApiOptions = {},
): Promise<T> {
  const api = await createFakeWorkOSApi({ events: { count, generate: createFakeEventGenerator() }, ...options });
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

export const generate = createFakeEventGenerator();

/** Ids of events 0..count-1 of the default generator. */
export function ids(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => generate(from + i).id);
}

/** Retry settings that keep tests fast: tiny backoff. */
export const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 20 };
