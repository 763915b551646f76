import { getEnvironmentState } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { getEnvironmentState as getEnvironmentStateService } from '@/lib/server/promotions/get-environment-state';

export const GET = route(getEnvironmentState, async ({ params }) => getEnvironmentStateService(params.name, params.environment));
