import { getRetention, putRetention } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { getRetention as getRetentionService } from '@/lib/server/monitoring/get-retention';
import { setRetention } from '@/lib/server/monitoring/set-retention';

export const GET = route(getRetention, async ({ params }) => getRetentionService(params.name));

export const PUT = route(putRetention, async ({ params, body, ctx }) => setRetention(ctx, params.name, body));

export const { POST, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/retention');
