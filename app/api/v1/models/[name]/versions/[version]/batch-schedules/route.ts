import { createBatchSchedule, listBatchSchedules } from '@/lib/api/endpoints/batch';
import { createBatchSchedule as createSchedule, listBatchSchedules as listSchedules } from '@/lib/server/batch/batch-schedules';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const POST = route(createBatchSchedule, async ({ params, body, ctx }) => createSchedule(ctx, { model: params.name, version: params.version, input: body }));

export const GET = route(listBatchSchedules, async ({ params }) => listSchedules({ model: params.name, version: params.version }));

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/batch-schedules');
