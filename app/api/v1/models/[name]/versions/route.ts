import { registerVersion } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { registerVersion as registerVersionService } from '@/lib/server/registry/register-version';
import { serializeVersion } from '@/lib/server/registry/serialize';

export const POST = route(registerVersion, async ({ params, body, ctx }) =>
  serializeVersion(await registerVersionService(ctx, params.name, body), body.parentVersion ?? null),
);
