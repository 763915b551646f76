import { unarchiveEnvironment } from '@/lib/api/endpoints/environments';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { setEnvironmentArchived } from '@/lib/server/environments/archive-environment';
import { serializeEnvironment } from '@/lib/server/environments/list-environments';

export const POST = route(unarchiveEnvironment, async ({ params, ctx }) =>
  serializeEnvironment(await setEnvironmentArchived(ctx, params.environment, false)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/environments/{environment}/unarchive');
