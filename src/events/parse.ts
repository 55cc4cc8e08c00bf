// Interim envelope-only parser: the event-types issue (#3) replaces this with generated, typed, lazy schemas
// while keeping this signature.
import { WorkOSWebhookError } from '../verify/errors.js';
import { envelopeSchema, type WorkOSEventEnvelope } from './envelope.js';

export type ValidateMode = 'strict' | 'full' | 'envelope' | 'none';

export interface ParseWorkOSEventOptions {
  validate?: ValidateMode;
}

export type WorkOSEvent = WorkOSEventEnvelope;

export function parseWorkOSEvent(json: unknown, opts: ParseWorkOSEventOptions = {}): WorkOSEvent {
  const mode = opts.validate ?? 'envelope';
  if (mode === 'none') {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new WorkOSWebhookError('invalid_payload', 'The payload is not a JSON object.');
    }
    return json as WorkOSEvent;
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) {
    const paths = [...new Set(result.error.issues.map((i) => i.path.join('.') || '(root)'))].join(', ');
    throw new WorkOSWebhookError('invalid_payload', `The payload is not a WorkOS event (invalid: ${paths}).`);
  }
  return json as WorkOSEvent;
}
