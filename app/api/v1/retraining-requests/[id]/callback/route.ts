import { retrainingCallback } from '@/lib/api/endpoints/retraining';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { acknowledgeRetraining } from '@/lib/server/retraining/acknowledge-retraining';
import { listRetrainingRequests } from '@/lib/server/retraining/list-retraining-requests';

/** The signature covers the exact bytes sent, so the body is read raw and verified before parsing. */
export const POST = route(retrainingCallback, async ({ params, request, ctx }) => {
  const updated = await acknowledgeRetraining({
    id: params.id,
    rawBody: await request.text(),
    signature: request.headers.get('x-modeldeck-signature'),
    requestId: ctx.requestId,
  });
  return (await listRetrainingRequests({ alertId: updated.alertId ?? undefined })).find((item) => item.id === updated.id)!;
});

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/retraining-requests/{id}/callback');
