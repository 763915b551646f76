import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { getDrift } from '@/lib/api/endpoints/monitoring';
import { route } from '@/lib/server/http/route';
import { getDrift as getDriftService } from '@/lib/server/monitoring/get-drift';

export const GET = route(getDrift, async ({ params, query }) => getDriftService(params.name, query));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/drift');
