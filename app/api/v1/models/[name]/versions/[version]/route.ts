import { getVersion } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { getVersion as getVersionService } from '@/lib/server/registry/get-version';

export const GET = route(getVersion, async ({ params }) => getVersionService(params.name, params.version));
