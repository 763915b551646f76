import { getEnvironmentState } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { getEnvironmentState as getEnvironmentStateService } from '@/lib/server/promotions/get-environment-state';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(getEnvironmentState, async ({ params }) => getEnvironmentStateService(params.name, params.environment));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/environments/{environment}');
