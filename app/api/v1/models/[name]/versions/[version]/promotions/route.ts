import { requestPromotion } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { requestPromotion as requestPromotionService } from '@/lib/server/promotions/request-promotion';
import { serializeStrategy } from '@/lib/server/promotions/serialize-release';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

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
    strategy: serializeStrategy(release),
    gates,
  };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/promotions');
