import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { getDeploymentOptions } from '@/lib/api/endpoints/decisions';
import { getDecisionMatrix } from '@/lib/server/decisions/get-decision-matrix';
import { route } from '@/lib/server/http/route';

export const GET = route(getDeploymentOptions, ({ params, query }) => getDecisionMatrix(params.name, params.version, query));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/deployment-options');
