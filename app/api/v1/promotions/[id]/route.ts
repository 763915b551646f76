import { getPromotion } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { getRelease } from '@/lib/server/promotions/get-release';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(getPromotion, async ({ params }) => {
  const { requestedById: _requester, versionAuthorId: _author, environmentRules: _rules, ...release } = await getRelease(params.id);
  return release;
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/promotions/{id}');
