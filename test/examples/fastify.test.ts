import { describeWebhookExample } from './webhook-example.js';

describeWebhookExample('fastify');
