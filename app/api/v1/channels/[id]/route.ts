import { deleteChannel } from '@/lib/api/endpoints/alerts';
import { deleteChannel as deleteChannelService } from '@/lib/server/channels/delete-channel';
import { serializeChannel } from '@/lib/server/channels/serialize-channel';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const DELETE = route(deleteChannel, async ({ params, ctx }) => serializeChannel(await deleteChannelService(ctx, params.id)));

export const { GET, POST, PUT, PATCH } = otherMethods('/api/v1/channels/{id}');
