import { verifyAudit } from '@/lib/api/endpoints/audit';
import { verifyAuditChain } from '@/lib/server/audit/verify-audit-chain';
import { route } from '@/lib/server/http/route';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(verifyAudit, async () => verifyAuditChain());

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/audit/verify');
