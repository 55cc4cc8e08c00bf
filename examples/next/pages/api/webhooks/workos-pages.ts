import { workosPagesHandler } from 'workos-events/next';
import { createWebhooks } from '../../../lib/webhooks';

// Required: Next.js must not parse the body, or the signature (computed over the raw bytes) cannot be checked.
export const config = { api: { bodyParser: false } };

export default workosPagesHandler(createWebhooks('pages'));
