import { z } from 'zod';
import { defineEndpoint } from '../contract';
import {
  ZCreatedWebhook,
  ZCreateWebhook,
  ZListDeliveriesQuery,
  ZWebhook,
  ZWebhookDeliveryPage,
  ZWebhookIdParams,
} from '@/lib/validation/webhooks';

export const listWebhooks = defineEndpoint({
  method: 'GET',
  path: '/api/v1/webhooks',
  tag: 'Webhooks',
  summary: 'Webhook endpoints, newest first',
  auth: 'user',
  permission: 'webhooks:manage',
  response: z.object({ items: z.array(ZWebhook) }),
});

export const createWebhook = defineEndpoint({
  method: 'POST',
  path: '/api/v1/webhooks',
  tag: 'Webhooks',
  summary: 'Subscribe a URL to events',
  description:
    'Each event is POSTed as JSON with `x-modeldeck-event`, `x-modeldeck-delivery` (dedupe on it: delivery is at least once) and `x-modeldeck-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The signing secret is in this response only.',
  auth: 'user',
  permission: 'webhooks:manage',
  body: ZCreateWebhook,
  response: ZCreatedWebhook,
  successStatus: 201,
});

export const deleteWebhook = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/webhooks/{id}',
  tag: 'Webhooks',
  summary: 'Delete a webhook endpoint and its delivery log',
  auth: 'user',
  permission: 'webhooks:manage',
  params: ZWebhookIdParams,
  response: ZWebhook,
  errors: [404],
});

export const listWebhookDeliveries = defineEndpoint({
  method: 'GET',
  path: '/api/v1/webhooks/{id}/deliveries',
  tag: 'Webhooks',
  summary: "An endpoint's deliveries, newest first",
  description: 'Status is `pending` (queued or being retried with backoff), `delivered` or `failed` (gave up after the last retry).',
  auth: 'user',
  permission: 'webhooks:manage',
  params: ZWebhookIdParams,
  query: ZListDeliveriesQuery,
  response: ZWebhookDeliveryPage,
  errors: [404],
});
