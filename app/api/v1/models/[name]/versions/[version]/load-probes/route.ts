import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { startLoadProbeEndpoint } from '@/lib/api/endpoints/decisions';
import { startLoadProbe } from '@/lib/server/decisions/start-load-probe';
import { route } from '@/lib/server/http/route';

export const POST = route(startLoadProbeEndpoint, ({ params, body, ctx }) => startLoadProbe(ctx, { model: params.name, version: params.version, probe: body }));

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/load-probes');
