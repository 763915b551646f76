import { listWebhookDeliveries } from '@/lib/api/endpoints/webhooks';
import { route } from '@/lib/server/http/route';
import { listDeliveries } from '@/lib/server/webhooks/list-deliveries';
import { serializeDelivery } from '@/lib/server/webhooks/serialize-webhook';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listWebhookDeliveries, async ({ params, query }) => {
  const page = await listDeliveries(params.id, query);
  return { items: page.items.map(serializeDelivery), nextCursor: page.nextCursor };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/webhooks/{id}/deliveries');
