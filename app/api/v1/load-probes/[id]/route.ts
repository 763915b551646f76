import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { getLoadProbeEndpoint } from '@/lib/api/endpoints/decisions';
import { getLoadProbeOrThrow } from '@/lib/server/decisions/get-decision-matrix';
import { route } from '@/lib/server/http/route';

export const GET = route(getLoadProbeEndpoint, ({ params }) => getLoadProbeOrThrow(params.id));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/load-probes/{id}');
