import { deleteRetrainingWebhook, getRetrainingWebhook, putRetrainingWebhook } from '@/lib/api/endpoints/retraining';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { getRetrainingWebhook as getWebhook, setRetrainingWebhook } from '@/lib/server/retraining/set-retraining-webhook';

export const GET = route(getRetrainingWebhook, async ({ params }) => getWebhook(params.environment));

export const PUT = route(putRetrainingWebhook, async ({ params, body, ctx }) => setRetrainingWebhook(ctx, params.environment, body));

export const DELETE = route(deleteRetrainingWebhook, async ({ params, ctx }) => setRetrainingWebhook(ctx, params.environment, null));

export const { POST, PATCH } = otherMethods('/api/v1/environments/{environment}/retraining-webhook');
