import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { ingestPredictions } from '@/lib/api/endpoints/monitoring';
import { route } from '@/lib/server/http/route';
import { ingestPredictions as ingestPredictionsService } from '@/lib/server/monitoring/ingest-predictions';
import { readIngestBody } from '@/lib/server/monitoring/read-ingest-body';

// The body is NDJSON or gzip as often as JSON, so it is read here rather than by the wrapper.
export const POST = route(ingestPredictions, async ({ ctx, request }) =>
  ingestPredictionsService(ctx, await readIngestBody(request)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/predictions');
