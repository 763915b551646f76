import { getMe } from '@/lib/api/endpoints/system';
import { permissionsOf } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { countPendingReviews } from '@/lib/server/home/get-home-summary';
import { route } from '@/lib/server/http/route';
import { serializeUser } from '@/lib/server/users/serialize-user';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(getMe, async ({ ctx }) => {
  const [user, pendingReviews] = await Promise.all([
    db().user.findUniqueOrThrow({ where: { id: ctx.actor.id } }),
    countPendingReviews(ctx.actor),
  ]);
  return { ...serializeUser(user), permissions: permissionsOf(user.roles), pendingReviews };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/me');
