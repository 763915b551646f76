import { listPromotions } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { listReleases } from '@/lib/server/promotions/list-releases';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listPromotions, async ({ query }) => listReleases(query));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/promotions');
