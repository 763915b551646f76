import { getPerformance } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { shareInFlight } from '@/lib/server/monitoring/share-in-flight';
import { getPerformance as getPerformanceService } from '@/lib/server/monitoring/get-performance';

export const GET = route(getPerformance, async ({ params, query }) =>
  shareInFlight(`performance:${params.name}:${JSON.stringify(query)}`, () => getPerformanceService(params.name, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/performance');
