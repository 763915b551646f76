import { getOpenApi } from '@/lib/api/endpoints/system';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { route } from '@/lib/server/http/route';

export const GET = route(getOpenApi, async () => buildOpenApiDocument());
