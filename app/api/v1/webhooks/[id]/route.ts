import { deleteWebhook } from '@/lib/api/endpoints/webhooks';
import { route } from '@/lib/server/http/route';
import { deleteWebhook as deleteWebhookService } from '@/lib/server/webhooks/delete-webhook';
import { serializeWebhook } from '@/lib/server/webhooks/serialize-webhook';

export const DELETE = route(deleteWebhook, async ({ params, ctx }) => serializeWebhook(await deleteWebhookService(ctx, params.id)));
