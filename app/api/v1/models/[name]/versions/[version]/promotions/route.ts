import { requestPromotion } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { requestPromotion as requestPromotionService } from '@/lib/server/promotions/request-promotion';

export const POST = route(requestPromotion, async ({ params, body, ctx }) => {
  const { release, gates, model, version, environment } = await requestPromotionService(ctx, {
    model: params.name,
    version: params.version,
    input: body,
  });
  return {
    id: release.id,
    status: release.status,
    model,
    version,
    environment,
    strategy: { type: release.strategy, ...(release.strategy === 'canary' ? { steps: release.steps } : {}) },
    gates,
  };
});
