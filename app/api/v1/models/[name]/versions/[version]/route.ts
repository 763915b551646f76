import { getVersion } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { getVersion as getVersionService } from '@/lib/server/registry/get-version';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(getVersion, async ({ params }) => getVersionService(params.name, params.version));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}');
