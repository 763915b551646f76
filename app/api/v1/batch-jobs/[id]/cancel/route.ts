import { cancelBatchJob } from '@/lib/api/endpoints/batch';
import { cancelBatchJob as cancelBatchJobService } from '@/lib/server/batch/cancel-batch-job';
import { getBatchJob } from '@/lib/server/batch/get-batch-job';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const POST = route(cancelBatchJob, async ({ params, ctx }) => {
  await cancelBatchJobService(ctx, params.id);
  return getBatchJob(params.id);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/batch-jobs/{id}/cancel');
