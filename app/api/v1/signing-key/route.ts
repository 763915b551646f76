import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { getSigningKey } from '@/lib/api/endpoints/edge';
import { getSigningPublicKey } from '@/lib/server/edge/get-signing-key';
import { route } from '@/lib/server/http/route';

export const GET = route(getSigningKey, async ({ ctx }) => getSigningPublicKey(ctx));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/signing-key');
