import { moveEnvironment } from '@/lib/api/endpoints/environments';
import { route } from '@/lib/server/http/route';
import { serializeEnvironment } from '@/lib/server/environments/list-environments';
import { moveEnvironment as moveEnvironmentService } from '@/lib/server/environments/move-environment';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const POST = route(moveEnvironment, async ({ params, body, ctx }) => ({
  items: (await moveEnvironmentService(ctx, params.environment, body)).map(serializeEnvironment),
}));

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/environments/{environment}/move');
