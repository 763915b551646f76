import { createRun, listRuns } from '@/lib/api/endpoints/batch';
import { createRun as createRunService } from '@/lib/server/batch/create-run';
import { listBatchJobs } from '@/lib/server/batch/get-batch-job';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const POST = route(createRun, async ({ params, query, ctx, request }) => {
  const run = await createRunService(ctx, { model: params.name, version: params.version, request, query });
  return { id: run.id };
});

export const GET = route(listRuns, async ({ params }) => listBatchJobs({ model: params.name, version: params.version, kind: 'one_off' }));

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/runs');
