import { testChannel } from '@/lib/api/endpoints/alerts';
import { sendTestMessage } from '@/lib/server/channels/send-test-message';
import { serializeNotification } from '@/lib/server/channels/serialize-channel';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const POST = route(testChannel, async ({ params, ctx }) => serializeNotification(await sendTestMessage(ctx, params.id)));

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/channels/{id}/test');
