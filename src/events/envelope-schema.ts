import { z } from 'zod';

/** zod schema of the envelope only (`validate: 'envelope'`). Extra fields are kept. */
export const envelopeSchema = z.looseObject({
  id: z.string().min(1),
  event: z.string().min(1),
  data: z.looseObject({}),
  created_at: z.string().min(1),
  object: z.literal('event').optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
