import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { uploadReference } from '@/lib/api/endpoints/monitoring';
import { route } from '@/lib/server/http/route';
import { MAX_REFERENCE_BYTES, readJsonPayload } from '@/lib/server/monitoring/read-ingest-body';
import { uploadReference as uploadReferenceService } from '@/lib/server/monitoring/upload-reference';

// A reference may be larger than the 10 MB JSON cap and gzip-encoded: read with its own limit.
export const POST = route(uploadReference, async ({ params, ctx, request }) =>
  uploadReferenceService(ctx, { model: params.name, version: params.version, body: await readJsonPayload(request, MAX_REFERENCE_BYTES) }),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/reference');
