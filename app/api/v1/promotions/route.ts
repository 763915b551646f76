import { listPromotions } from '@/lib/api/endpoints/releases';
import { route } from '@/lib/server/http/route';
import { listReleases } from '@/lib/server/promotions/list-releases';

export const GET = route(listPromotions, async ({ query }) => listReleases(query));
