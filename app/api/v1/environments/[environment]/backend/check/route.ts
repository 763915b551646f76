import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { checkEnvironmentBackend } from '@/lib/api/endpoints/deployments';
import { checkEnvironmentBackend as checkEnvironmentBackendService } from '@/lib/server/deployments/get-environment-backend';
import { route } from '@/lib/server/http/route';

export const POST = route(checkEnvironmentBackend, async ({ params }) => checkEnvironmentBackendService(params.environment));

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/environments/{environment}/backend/check');
