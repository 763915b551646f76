import { createEnvironment, listEnvironments } from '@/lib/api/endpoints/environments';
import { route } from '@/lib/server/http/route';
import { createEnvironment as createEnvironmentService } from '@/lib/server/environments/create-environment';
import { listEnvironments as listEnvironmentsService, serializeEnvironment } from '@/lib/server/environments/list-environments';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listEnvironments, async () => ({ items: (await listEnvironmentsService()).map(serializeEnvironment) }));

export const POST = route(createEnvironment, async ({ body, ctx }) => serializeEnvironment(await createEnvironmentService(ctx, body)));

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/environments');
