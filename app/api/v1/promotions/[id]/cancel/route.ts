import { cancelPromotion } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { cancelRelease } from '@/lib/server/promotions/review-release';

export const POST = route(cancelPromotion, async ({ params, ctx }) => {
  const release = await cancelRelease(ctx, params.id);
  return { id: release.id, status: release.status };
});
