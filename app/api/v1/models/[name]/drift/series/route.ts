import { getDriftSeries } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { shareInFlight } from '@/lib/server/monitoring/share-in-flight';
import { getDriftSeries as getDriftSeriesService } from '@/lib/server/monitoring/get-drift-series';

export const GET = route(getDriftSeries, async ({ params, query }) =>
  shareInFlight(`drift-series:${params.name}:${JSON.stringify(query)}`, () => getDriftSeriesService(params.name, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/drift/series');
