import { rollback } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { rollbackEnvironment } from '@/lib/server/promotions/rollback-environment';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const POST = route(rollback, async ({ params, body, ctx }) => {
  const result = await rollbackEnvironment(ctx, {
    model: params.name,
    environment: params.environment,
    expectedReleaseId: body?.expectedReleaseId,
  });
  return {
    liveVersion: result.liveVersion,
    since: result.since,
    pending: result.pending,
    release: { id: result.release.id, strategy: 'replace', isRollback: true },
  };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/environments/{environment}/rollback');
