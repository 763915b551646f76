import { listWebhookDeliveries } from '@/lib/api/endpoints/webhooks';
import { route } from '@/lib/server/http/route';
import { listDeliveries } from '@/lib/server/webhooks/list-deliveries';
import { serializeDelivery } from '@/lib/server/webhooks/serialize-webhook';

export const GET = route(listWebhookDeliveries, async ({ params, query }) => {
  const page = await listDeliveries(params.id, query);
  return { items: page.items.map(serializeDelivery), nextCursor: page.nextCursor };
});
