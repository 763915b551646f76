import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { ingestLabels } from '@/lib/api/endpoints/monitoring';
import { route } from '@/lib/server/http/route';
import { ingestLabels as ingestLabelsService } from '@/lib/server/monitoring/ingest-labels';
import { readIngestBody } from '@/lib/server/monitoring/read-ingest-body';

// Same body formats as predictions (JSON, NDJSON, gzip), read by the service.
export const POST = route(ingestLabels, async ({ ctx, request }) =>
  ingestLabelsService(ctx, await readIngestBody(request)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/labels');
