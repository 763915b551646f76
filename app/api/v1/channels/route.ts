import { createChannel, listChannels } from '@/lib/api/endpoints/alerts';
import { createChannel as createChannelService } from '@/lib/server/channels/create-channel';
import { listChannels as listChannelsService } from '@/lib/server/channels/list-channels';
import { serializeChannel } from '@/lib/server/channels/serialize-channel';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(listChannels, async () => ({ items: (await listChannelsService()).map(serializeChannel) }));

export const POST = route(createChannel, async ({ body, ctx }) => {
  const { channel, secret } = await createChannelService(ctx, body);
  return { channel: serializeChannel(channel), secret };
});

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/channels');
