import { listEnvironments } from '@/lib/api/endpoints/environments';
import { route } from '@/lib/server/http/route';
import { listEnvironments as listEnvironmentsService, serializeEnvironment } from '@/lib/server/environments/list-environments';

export const GET = route(listEnvironments, async () => ({ items: (await listEnvironmentsService()).map(serializeEnvironment) }));
