import { rejectPromotion } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { rejectRelease } from '@/lib/server/promotions/review-release';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const POST = route(rejectPromotion, async ({ params, body, ctx }) => {
  const release = await rejectRelease(ctx, params.id, body.comment);
  return { id: release.id, status: release.status };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/promotions/{id}/reject');
