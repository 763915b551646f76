import { getDemoHistory } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { getDemoHistory as getDemoHistoryService } from '@/lib/server/demo/get-demo-history';

export const GET = route(getDemoHistory, async () => getDemoHistoryService());

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/demo/history');
