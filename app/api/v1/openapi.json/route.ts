import { getOpenApi } from '@/lib/api/endpoints/system';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { route } from '@/lib/server/http/route';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(getOpenApi, async () => buildOpenApiDocument());

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/openapi.json');
