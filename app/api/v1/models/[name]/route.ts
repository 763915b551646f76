import { getModel } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { getModel as getModelService } from '@/lib/server/registry/get-model';

export const GET = route(getModel, async ({ params }) => getModelService(params.name));
