import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { downloadEdgeBundle } from '@/lib/api/endpoints/edge';
import { buildEdgeBundle } from '@/lib/server/edge/build-edge-bundle';
import { route } from '@/lib/server/http/route';

export const GET = route(downloadEdgeBundle, async ({ params, query, ctx }) => {
  const bundle = await buildEdgeBundle(ctx, { model: params.name, version: params.version, variant: query.variant });
  return new Response(bundle.stream, {
    headers: {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="${bundle.filename}"`,
      'x-model-sha256': bundle.manifest.sha256,
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/edge-bundle');
