import { createWebhook, listWebhooks } from '@/lib/api/endpoints/webhooks';
import { route } from '@/lib/server/http/route';
import { createWebhook as createWebhookService } from '@/lib/server/webhooks/create-webhook';
import { listWebhooks as listWebhooksService } from '@/lib/server/webhooks/list-webhooks';
import { serializeWebhook } from '@/lib/server/webhooks/serialize-webhook';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listWebhooks, async () => ({ items: (await listWebhooksService()).map(serializeWebhook) }));

export const POST = route(createWebhook, async ({ body, ctx }) => {
  const { webhook, secret } = await createWebhookService(ctx, body);
  return { webhook: serializeWebhook(webhook), secret };
});

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/webhooks');
