import { z } from 'zod';

/** Context WorkOS may attach to an event (e.g. the actor or the Admin Portal session). Kept as sent. */
export type WorkOSEventContext = Record<string, unknown>;

/**
 * The envelope every WorkOS event shares, in the wire (snake_case) shape.
 * Webhook bodies usually have no `object`; Events API items have `object: "event"`.
 */
export interface WorkOSEventEnvelope<Name extends string = string, Data = Record<string, unknown>> {
  id: string;
  event: Name;
  data: Data;
  /** Raw timestamp string as sent (formats vary); see `eventCreatedAt()`. */
  created_at: string;
  object?: 'event';
  context?: WorkOSEventContext;
}

/** zod schema of the envelope only (`validate: 'envelope'`). Extra fields are kept. */
export const envelopeSchema = z.looseObject({
  id: z.string().min(1),
  event: z.string().min(1),
  data: z.looseObject({}),
  created_at: z.string().min(1),
  object: z.literal('event').optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
