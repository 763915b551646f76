import { getDistribution } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { shareInFlight } from '@/lib/server/monitoring/share-in-flight';
import { getDistribution as getDistributionService } from '@/lib/server/monitoring/get-distribution';

export const GET = route(getDistribution, async ({ params, query }) =>
  shareInFlight(`distribution:${params.name}:${JSON.stringify(query)}`, () => getDistributionService(params.name, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/monitoring/distribution');
