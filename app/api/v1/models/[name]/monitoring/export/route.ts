import { exportMonitoring } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { exportMonitoringCsv } from '@/lib/server/monitoring/export-monitoring-csv';

export const GET = route(exportMonitoring, async ({ params, query }) => {
  const { filename, body } = await exportMonitoringCsv(params.name, query);
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/monitoring/export');
