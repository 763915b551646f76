import { createToken, listTokens } from '@/lib/api/endpoints/tokens';
import { route } from '@/lib/server/http/route';
import { createApiToken, serializeApiToken } from '@/lib/server/tokens/create-api-token';
import { listApiTokens } from '@/lib/server/tokens/list-api-tokens';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listTokens, async ({ ctx }) => ({
  items: (await listApiTokens(ctx.actor.id)).map(serializeApiToken),
}));

export const POST = route(createToken, async ({ body, ctx }) => {
  const { token, apiToken } = await createApiToken({ userId: ctx.actor.id, input: body, actor: ctx.actor, requestId: ctx.requestId });
  return { token, apiToken: serializeApiToken(apiToken) };
});

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/tokens');
