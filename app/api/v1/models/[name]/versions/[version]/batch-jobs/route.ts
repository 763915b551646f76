import { createBatchJob, listBatchJobs } from '@/lib/api/endpoints/batch';
import { createBatchJob as createBatchJobService, uploadInput } from '@/lib/server/batch/create-batch-job';
import { listBatchJobs as listBatchJobsService } from '@/lib/server/batch/get-batch-job';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const POST = route(createBatchJob, async ({ params, query, ctx, request }) => {
  const job = await createBatchJobService(ctx, {
    model: params.name,
    version: params.version,
    input: uploadInput(request.headers, request.body),
    environment: query.environment,
  });
  return { id: job.id };
});

export const GET = route(listBatchJobs, async ({ params }) => listBatchJobsService({ model: params.name, version: params.version, kind: 'batch' }));

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/batch-jobs');
