'use server';

import { revalidatePath } from 'next/cache';
import { AppError } from '@/lib/errors';
import { formAction } from '@/lib/server/http/action';
import { createUser } from '@/lib/server/users/create-user';
import { updateUser } from '@/lib/server/users/update-user';
import { ZSetActiveForm, ZSetRolesForm } from '@/lib/validation/user-forms';
import { ZCreateUser } from '@/lib/validation/users';

export const createUserAction = formAction({ permission: 'users:manage', schema: ZCreateUser }, async (input, ctx) => {
  const { user, temporaryPassword } = await createUser({ input, actor: ctx.actor, requestId: ctx.requestId }).catch((error: unknown) => {
    // A taken e-mail is the e-mail field's problem: the form shows it next to that field.
    if (error instanceof AppError && error.code === 'email_taken') {
      throw new AppError(error.status, error.code, error.message, { email: [error.message] });
    }
    throw error;
  });
  revalidatePath('/admin');
  return {
    message: `Created ${user.email}.`,
    data: { email: user.email, temporaryPassword },
  };
});

export const setRolesAction = formAction({ permission: 'users:manage', schema: ZSetRolesForm }, async (input, ctx) => {
  const user = await updateUser(ctx, input.id, { roles: input.roles });
  revalidatePath('/admin');
  return { message: `Roles of ${user.email}: ${user.roles.join(', ')}.` };
});

export const setActiveAction = formAction({ permission: 'users:manage', schema: ZSetActiveForm }, async (input, ctx) => {
  const user = await updateUser(ctx, input.id, { active: input.active });
  revalidatePath('/admin');
  return { message: `${user.email} is now ${user.active ? 'active' : 'deactivated'}.` };
});
