export { createFakeEventGenerator, FAKE_EVENT_TYPES, type FakeEventGeneratorOptions } from './generate.js';
export { createFakeWorkOSApi } from './server.js';
export type {
  FakeApiFault,
  FakeApiFaultOptions,
  FakeApiRequest,
  FakeEventSource,
  FakeWorkOSApi,
  FakeWorkOSApiOptions,
  FakeWorkOSEvent,
} from './types.js';
