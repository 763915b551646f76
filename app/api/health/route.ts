import { getHealth } from '@/lib/api/endpoints/system';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/server/http/route';
import { checkDatabase } from '@/lib/server/system/check-database';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const dynamic = 'force-dynamic';

export const GET = route(getHealth, async () => {
  if (await checkDatabase()) return { status: 'ok' };
  throw new AppError(503, 'database_unavailable', 'The database did not answer within 3 seconds.');
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/health');
