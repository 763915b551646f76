import { requestAlertRetraining } from '@/lib/api/endpoints/retraining';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { listRetrainingRequests } from '@/lib/server/retraining/list-retraining-requests';
import { requestRetraining } from '@/lib/server/retraining/request-retraining';

export const POST = route(requestAlertRetraining, async ({ params, body, ctx }) => {
  const id = await requestRetraining(ctx, params.id, body?.comment);
  return (await listRetrainingRequests({ alertId: params.id })).find((request) => request.id === id)!;
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/alerts/{id}/retraining');
