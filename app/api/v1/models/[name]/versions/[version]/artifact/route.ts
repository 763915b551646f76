import { downloadArtifact, uploadArtifact } from '@/lib/api/endpoints/registry';
import { notFound } from '@/lib/errors';
import { route } from '@/lib/server/http/route';
import { artifactStore } from '@/lib/server/registry/artifact-store';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
import { uploadArtifact as uploadArtifactService } from '@/lib/server/registry/upload-artifact';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const PUT = route(uploadArtifact, async ({ params, ctx, request }) =>
  uploadArtifactService(ctx, {
    model: params.name,
    version: params.version,
    body: request.body,
    declaredSha256: request.headers.get('x-artifact-sha256'),
  }),
);

export const GET = route(downloadArtifact, async ({ params }) => {
  const version = await findVersionOrThrow(params.name, params.version);
  if (!version.artifactKey) {
    throw notFound(
      version.artifactUri
        ? `v${params.version}'s artifact is not stored in ModelDeck; it lives at ${version.artifactUri}.`
        : `v${params.version} has no artifact yet.`,
    );
  }
  const { stream, size } = await artifactStore().open(version.artifactKey);
  return new Response(stream, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${params.name}-v${params.version}${version.format === 'onnx' ? '.onnx' : ''}"`,
      'x-artifact-sha256': version.artifactSha256 ?? '',
    },
  });
});

export const { POST, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/artifact');
