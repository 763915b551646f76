import { exportAudit } from '@/lib/api/endpoints/audit';
import { exportAuditCsv } from '@/lib/server/audit/export-audit-csv';
import { route } from '@/lib/server/http/route';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(exportAudit, async ({ query }) => {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return new Response(exportAuditCsv(query), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="modeldeck-audit-${stamp}.csv"`,
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/audit/export');
