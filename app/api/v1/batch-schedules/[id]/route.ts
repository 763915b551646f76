import { deleteBatchSchedule } from '@/lib/api/endpoints/batch';
import { deleteBatchSchedule as deleteSchedule } from '@/lib/server/batch/batch-schedules';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const DELETE = route(deleteBatchSchedule, async ({ params, ctx }) => {
  await deleteSchedule(ctx, params.id);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH } = otherMethods('/api/v1/batch-schedules/{id}');
