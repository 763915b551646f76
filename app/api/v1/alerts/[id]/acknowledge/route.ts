import { acknowledgeAlert } from '@/lib/api/endpoints/alerts';
import { transitionAlert } from '@/lib/server/alerts/transition-alert';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const POST = route(acknowledgeAlert, async ({ params, body, ctx }) => transitionAlert(ctx, params.id, 'acknowledge', body?.comment));

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/alerts/{id}/acknowledge');
