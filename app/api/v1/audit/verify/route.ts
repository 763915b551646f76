import { verifyAudit } from '@/lib/api/endpoints/audit';
import { verifyAuditChain } from '@/lib/server/audit/verify-audit-chain';
import { route } from '@/lib/server/http/route';

export const GET = route(verifyAudit, async () => verifyAuditChain());
