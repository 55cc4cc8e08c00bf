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
