import { listChannelNotifications } from '@/lib/api/endpoints/alerts';
import { listChannelNotifications as listService } from '@/lib/server/channels/list-notifications';
import { serializeNotification } from '@/lib/server/channels/serialize-channel';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(listChannelNotifications, async ({ params }) => ({ items: (await listService(params.id)).items.map(serializeNotification) }));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/channels/{id}/notifications');
