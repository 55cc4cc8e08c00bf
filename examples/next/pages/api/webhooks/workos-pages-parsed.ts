import { workosPagesHandler } from 'workos-events/next';
import { createWebhooks } from '../../../lib/webhooks';

// A deliberate mistake kept to show the diagnosis: without `bodyParser: false`, Next.js parses the JSON first and
// the adapter answers 500 `body_already_parsed` (and logs the fix) instead of failing every signature.
export default workosPagesHandler(createWebhooks('pages-parsed'));
