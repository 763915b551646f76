import { getAlert } from '@/lib/api/endpoints/alerts';
import { getAlertOrThrow } from '@/lib/server/alerts/get-alert';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(getAlert, async ({ params }) => getAlertOrThrow(params.id));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/alerts/{id}');
