import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { deleteEnvironmentBackend, getEnvironmentBackend, putEnvironmentBackend } from '@/lib/api/endpoints/deployments';
import { configureEnvironmentBackend, removeEnvironmentBackend } from '@/lib/server/deployments/configure-environment-backend';
import { getEnvironmentBackend as getEnvironmentBackendService } from '@/lib/server/deployments/get-environment-backend';
import { route } from '@/lib/server/http/route';

export const GET = route(getEnvironmentBackend, async ({ params }) => getEnvironmentBackendService(params.environment));

export const PUT = route(putEnvironmentBackend, async ({ params, body, ctx }) => configureEnvironmentBackend(ctx, params.environment, body));

export const DELETE = route(deleteEnvironmentBackend, async ({ params, ctx }) => removeEnvironmentBackend(ctx, params.environment));

export const { POST, PATCH } = otherMethods('/api/v1/environments/{environment}/backend');
