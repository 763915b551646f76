import { updateUser } from '@/lib/api/endpoints/users';
import { route } from '@/lib/server/http/route';
import { serializeUser } from '@/lib/server/users/serialize-user';
import { updateUser as updateUserService } from '@/lib/server/users/update-user';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const PATCH = route(updateUser, async ({ params, body, ctx }) =>
  serializeUser(await updateUserService(ctx, params.id, body)),
);

export const { GET, POST, PUT, DELETE } = otherMethods('/api/v1/users/{id}');
