import { registerVersion } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { registerVersion as registerVersionService } from '@/lib/server/registry/register-version';
import { serializeVersion } from '@/lib/server/registry/serialize';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const POST = route(registerVersion, async ({ params, body, ctx }) =>
  serializeVersion(await registerVersionService(ctx, params.name, body), body.parentVersion ?? null),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions');
