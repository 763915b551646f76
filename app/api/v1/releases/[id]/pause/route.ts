import { pauseRelease } from '@/lib/api/endpoints/releases';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { controlRelease } from '@/lib/server/promotions/control-release';

export const POST = route(pauseRelease, async ({ params, ctx }) => {
  const { release, promotionId } = await controlRelease(ctx, params.id, 'pause');
  return { id: release.id, status: release.status, ...(promotionId ? { promotionId } : {}) };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/releases/{id}/pause');
