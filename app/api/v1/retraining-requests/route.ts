import { listRetrainingRequests as listEndpoint } from '@/lib/api/endpoints/retraining';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { listRetrainingRequests } from '@/lib/server/retraining/list-retraining-requests';

export const GET = route(listEndpoint, async ({ query }) => ({
  items: await listRetrainingRequests({ ...(query.model ? { model: query.model } : {}), ...(query.alert ? { alertId: query.alert } : {}) }),
}));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/retraining-requests');
