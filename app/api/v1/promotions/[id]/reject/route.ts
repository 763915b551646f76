import { rejectPromotion } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { rejectRelease } from '@/lib/server/promotions/review-release';

export const POST = route(rejectPromotion, async ({ params, body, ctx }) => {
  const release = await rejectRelease(ctx, params.id, body.comment);
  return { id: release.id, status: release.status };
});
