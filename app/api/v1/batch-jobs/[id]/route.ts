import { getBatchJob } from '@/lib/api/endpoints/batch';
import { getBatchJob as getBatchJobService } from '@/lib/server/batch/get-batch-job';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(getBatchJob, async ({ params }) => getBatchJobService(params.id));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/batch-jobs/{id}');
