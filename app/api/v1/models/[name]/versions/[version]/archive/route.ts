import { archiveVersion } from '@/lib/api/endpoints/registry';
import { route } from '@/lib/server/http/route';
import { archiveVersion as archiveVersionService } from '@/lib/server/registry/archive-version';
import { serializeVersion } from '@/lib/server/registry/serialize';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const POST = route(archiveVersion, async ({ params, ctx }) =>
  serializeVersion(await archiveVersionService(ctx, params.name, params.version)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/archive');
