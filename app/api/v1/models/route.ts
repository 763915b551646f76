import { createModel, listModels } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { createModel as createModelService } from '@/lib/server/registry/create-model';
import { listModels as listModelsService } from '@/lib/server/registry/list-models';
import { serializeModel } from '@/lib/server/registry/serialize';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listModels, async ({ query }) => listModelsService(query));

export const POST = route(createModel, async ({ body, ctx }) => serializeModel(await createModelService(ctx, body)));

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/models');
