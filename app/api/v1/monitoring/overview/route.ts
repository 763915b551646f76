import { getMonitoringOverview } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { getMonitoringOverview as getMonitoringOverviewService } from '@/lib/server/monitoring/get-monitoring-overview';

export const GET = route(getMonitoringOverview, async ({ query }) => getMonitoringOverviewService(query));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/monitoring/overview');
