import { getRun } from '@/lib/api/endpoints/batch';
import { getBatchJob } from '@/lib/server/batch/get-batch-job';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(getRun, async ({ params }) => getBatchJob(params.id, 'one_off'));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/runs/{id}');
