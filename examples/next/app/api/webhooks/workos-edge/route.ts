import { workosRouteHandler } from 'workos-events/next';
import { createWebhooks } from '../../../../lib/webhooks';

// Edge runtime: the package's `edge-light` build verifies signatures with WebCrypto (no node:crypto).
export const runtime = 'edge';

export const POST = workosRouteHandler(createWebhooks('edge'));
