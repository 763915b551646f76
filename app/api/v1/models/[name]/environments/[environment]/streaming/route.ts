import { getStreamingStatus } from '@/lib/api/endpoints/deployments';
import { getStreamingStatus as getStreamingStatusService } from '@/lib/server/deployments/get-streaming-status';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(getStreamingStatus, async ({ params }) => getStreamingStatusService(params.name, params.environment));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/environments/{environment}/streaming');
