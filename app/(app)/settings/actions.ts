'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { changePassword } from '@/lib/server/auth/change-password';
import { currentSessionId } from '@/lib/server/auth/current-actor';
import { signOutEverywhere } from '@/lib/server/auth/sign-out';
import { formAction } from '@/lib/server/http/action';
import { ZChangePassword, ZSignOutEverywhere } from '@/lib/validation/account';

export const changePasswordAction = formAction({ schema: ZChangePassword }, async (input, ctx) => {
  const { sessionsEnded } = await changePassword(ctx, input, { keepSessionId: (await currentSessionId()) ?? undefined });
  return {
    message:
      sessionsEnded > 0
        ? `Password changed. ${sessionsEnded} other session${sessionsEnded === 1 ? ' was' : 's were'} signed out.`
        : 'Password changed.',
  };
});

export const signOutEverywhereAction = formAction({ schema: ZSignOutEverywhere }, async (_input, ctx) => {
  await signOutEverywhere(ctx);
  // The session is already revoked on the server; dropping the cookie just tidies the browser.
  const jar = await cookies();
  for (const name of ['next-auth.session-token', '__Secure-next-auth.session-token']) jar.delete(name);
  redirect('/signin');
});
