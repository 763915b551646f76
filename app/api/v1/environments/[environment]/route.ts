import { deleteEnvironment, updateEnvironment } from '@/lib/api/endpoints/environments';
import { route } from '@/lib/server/http/route';
import { deleteEnvironment as deleteEnvironmentService } from '@/lib/server/environments/delete-environment';
import { serializeEnvironment } from '@/lib/server/environments/list-environments';
import { updateEnvironment as updateEnvironmentService } from '@/lib/server/environments/update-environment';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const PATCH = route(updateEnvironment, async ({ params, body, ctx }) =>
  serializeEnvironment(await updateEnvironmentService(ctx, params.environment, body)),
);

export const DELETE = route(deleteEnvironment, async ({ params, ctx }) => ({
  items: (await deleteEnvironmentService(ctx, params.environment)).map(serializeEnvironment),
}));

export const { GET, POST, PUT } = otherMethods('/api/v1/environments/{environment}');
