import { revokeToken } from '@/lib/api/endpoints/tokens';
import { route } from '@/lib/server/http/route';
import { serializeApiToken } from '@/lib/server/tokens/create-api-token';
import { revokeApiToken } from '@/lib/server/tokens/revoke-api-token';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const DELETE = route(revokeToken, async ({ params, ctx }) => serializeApiToken(await revokeApiToken(ctx, params.id)));

export const { GET, POST, PUT, PATCH } = otherMethods('/api/v1/tokens/{id}');
