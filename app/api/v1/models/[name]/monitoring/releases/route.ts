import { getReleaseAnnotations } from '@/lib/api/endpoints/monitoring';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';
import { getReleaseAnnotations as getReleaseAnnotationsService } from '@/lib/server/monitoring/get-release-annotations';

export const GET = route(getReleaseAnnotations, async ({ params, query }) => getReleaseAnnotationsService(params.name, query));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/monitoring/releases');
