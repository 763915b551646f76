import { promoteReleaseNow } from '@/lib/api/endpoints/releases';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { controlRelease } from '@/lib/server/promotions/control-release';

export const POST = route(promoteReleaseNow, async ({ params, ctx }) => {
  const { release, promotionId } = await controlRelease(ctx, params.id, 'promote-now');
  return { id: release.id, status: release.status, ...(promotionId ? { promotionId } : {}) };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/releases/{id}/promote-now');
