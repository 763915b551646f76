import { listAudit } from '@/lib/api/endpoints/audit';
import { listAuditEntries, serializeAuditEntry } from '@/lib/server/audit/list-audit-entries';
import { route } from '@/lib/server/http/route';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listAudit, async ({ query }) => {
  const page = await listAuditEntries(query);
  return { items: page.items.map(serializeAuditEntry), nextCursor: page.nextCursor };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/audit');
