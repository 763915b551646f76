import { createUser, listUsers } from '@/lib/api/endpoints/users';
import { route } from '@/lib/server/http/route';
import { createUser as createUserService } from '@/lib/server/users/create-user';
import { listUsers as listUsersService } from '@/lib/server/users/list-users';
import { serializeUser } from '@/lib/server/users/serialize-user';
import { otherMethods } from '@/lib/server/http/api-fallbacks';

export const GET = route(listUsers, async () => ({ items: (await listUsersService()).map(serializeUser) }));

export const POST = route(createUser, async ({ body, ctx }) => {
  const { user, temporaryPassword } = await createUserService({ input: body, actor: ctx.actor, requestId: ctx.requestId });
  return { user: serializeUser(user), ...(temporaryPassword ? { temporaryPassword } : {}) };
});

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/users');
