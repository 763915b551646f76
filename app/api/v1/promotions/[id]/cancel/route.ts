import { cancelPromotion } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { cancelRelease } from '@/lib/server/promotions/review-release';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const POST = route(cancelPromotion, async ({ params, ctx }) => {
  const release = await cancelRelease(ctx, params.id);
  return { id: release.id, status: release.status };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/promotions/{id}/cancel');
