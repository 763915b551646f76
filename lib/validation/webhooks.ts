import { z } from 'zod';
import { WEBHOOK_EVENTS } from '@/lib/server/webhooks/events';
import { storable, ZText, ZUuid } from './common';

export const ZWebhookEvent = z.enum(WEBHOOK_EVENTS, { error: `Choose from: ${WEBHOOK_EVENTS.join(', ')}.` });

/** A DNS name or a bracketed IPv6 literal; which addresses may be reached is the server's outbound policy. */
const WEBHOOK_HOST = new RegExp(`${z.regexes.hostname.source}|^\\[[0-9a-fA-F:.]+\\]$`);

const ZWebhookUrl = storable(
  z.url({ protocol: /^https?$/, hostname: WEBHOOK_HOST, error: 'Enter an http:// or https:// URL, e.g. https://ci.example.com/hooks/modeldeck.' }).max(2000),
);

const ZEvents = z.array(ZWebhookEvent).min(1, 'Choose at least one event.').max(WEBHOOK_EVENTS.length);

export const ZCreateWebhook = z.strictObject({
  url: ZWebhookUrl,
  events: ZEvents,
  description: ZText.trim().max(500).optional(),
});
export type CreateWebhookInput = z.infer<typeof ZCreateWebhook>;

/** The same fields as posted by the admin form (checkboxes arrive as `events[]`). */
export const ZCreateWebhookForm = z.object({
  url: ZWebhookUrl,
  events: z.array(ZWebhookEvent, { error: 'Choose at least one event.' }).min(1, 'Choose at least one event.'),
  description: ZText.trim().max(500).optional(),
});

export const ZWebhookIdParams = z.object({ id: ZUuid });

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const ZListDeliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: ZText.max(100).optional().describe('The nextCursor of the previous page.'),
});
export type ListDeliveriesQuery = z.infer<typeof ZListDeliveriesQuery>;

export const ZWebhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Webhook' });

export const ZCreatedWebhook = z
  .object({
    webhook: ZWebhook,
    secret: z.string().describe('HMAC-SHA256 key for the x-modeldeck-signature header. Shown once; store it now.'),
  })
  .meta({ id: 'CreatedWebhook' });

export const ZWebhookDelivery = z
  .object({
    id: z.string().describe('Also sent as the x-modeldeck-delivery header; receivers dedupe on it.'),
    event: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().describe('HTTP status of the last attempt (null: no answer).'),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    payload: z.unknown(),
  })
  .meta({ id: 'WebhookDelivery' });

export const ZWebhookDeliveryPage = z
  .object({ items: z.array(ZWebhookDelivery), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryPage' });
