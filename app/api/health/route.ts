import { getHealth } from '@/lib/api/endpoints/system';
import { route } from '@/lib/server/http/route';
import { checkDatabase } from '@/lib/server/system/check-database';

export const dynamic = 'force-dynamic';

export const GET = route(getHealth, async () => {
  if (await checkDatabase()) return { status: 'ok' };
  return Response.json({ status: 'unavailable', database: 'unreachable' }, { status: 503 });
});
