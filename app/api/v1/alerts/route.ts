import { listAlerts } from '@/lib/api/endpoints/alerts';
import { listAlerts as listAlertsService } from '@/lib/server/alerts/list-alerts';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(listAlerts, async ({ query }) => listAlertsService(query));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/alerts');
