import { workosRouteHandler } from 'workos-events/next';
import { createWebhooks } from '../../../../lib/webhooks';

// App Router, Node.js runtime: the adapter reads the raw body with request.arrayBuffer().
export const POST = workosRouteHandler(createWebhooks('app'));
