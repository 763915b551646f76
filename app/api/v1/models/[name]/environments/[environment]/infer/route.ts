import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { tryInference } from '@/lib/api/endpoints/deployments';
import { tryInference as sendTryInference } from '@/lib/server/deployments/try-inference';
import { route } from '@/lib/server/http/route';

export const POST = route(tryInference, ({ params, body }) => sendTryInference({ model: params.name, environment: params.environment, body }));

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/environments/{environment}/infer');
