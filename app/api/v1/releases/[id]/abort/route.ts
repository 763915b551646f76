import { abortRelease } from '@/lib/api/endpoints/releases';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { controlRelease } from '@/lib/server/promotions/control-release';

export const POST = route(abortRelease, async ({ params, ctx }) => {
  const { release, promotionId } = await controlRelease(ctx, params.id, 'abort');
  return { id: release.id, status: release.status, ...(promotionId ? { promotionId } : {}) };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/releases/{id}/abort');
