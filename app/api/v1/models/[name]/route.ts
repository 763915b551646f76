import { getModel } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { getModel as getModelService } from '@/lib/server/registry/get-model';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(getModel, async ({ params }) => getModelService(params.name));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}');
