import { deleteWebhook } from '@/lib/api/endpoints/webhooks';
import { route } from '@/lib/server/http/route';
import { deleteWebhook as deleteWebhookService } from '@/lib/server/webhooks/delete-webhook';
import { serializeWebhook } from '@/lib/server/webhooks/serialize-webhook';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const DELETE = route(deleteWebhook, async ({ params, ctx }) => serializeWebhook(await deleteWebhookService(ctx, params.id)));

export const { GET, POST, PUT, PATCH } = otherMethods('/api/v1/webhooks/{id}');
