import type { WebhookDelivery, WebhookEndpoint } from '@/lib/generated/prisma/client';
import { redactUrl } from '@/lib/server/net/outbound-url';
import type { DELIVERY_STATUSES } from '@/lib/validation/webhooks';

/** The endpoint as shown to admins: never the secret, nor a password in the URL (endpoints created before they were refused). */
export function serializeWebhook(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: redactUrl(endpoint.url),
    events: endpoint.events,
    description: endpoint.description,
    active: endpoint.active,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

export function serializeDelivery(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    event: delivery.event,
    status: delivery.status as (typeof DELIVERY_STATUSES)[number],
    attempts: delivery.attempts,
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    payload: delivery.payload,
  };
}
