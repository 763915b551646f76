import { getPromotion } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { getRelease } from '@/lib/server/promotions/get-release';

export const GET = route(getPromotion, async ({ params }) => {
  const { requestedById: _requester, versionAuthorId: _author, environmentRules: _rules, ...release } = await getRelease(params.id);
  return release;
});
