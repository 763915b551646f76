import { getMe } from '@/lib/api/endpoints/system';
import { permissionsOf } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { route } from '@/lib/server/http/route';
import { serializeUser } from '@/lib/server/users/serialize-user';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(getMe, async ({ ctx }) => {
  const user = await db().user.findUniqueOrThrow({ where: { id: ctx.actor.id } });
  return { ...serializeUser(user), permissions: permissionsOf(user.roles) };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/me');
