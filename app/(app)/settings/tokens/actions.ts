'use server';

import { revalidatePath } from 'next/cache';
import { formAction } from '@/lib/server/http/action';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { revokeApiToken } from '@/lib/server/tokens/revoke-api-token';
import { ZCreateTokenForm, ZTokenIdParams } from '@/lib/validation/tokens';

export const createTokenAction = formAction({ schema: ZCreateTokenForm }, async (input, ctx) => {
  const { token, apiToken } = await createApiToken({ userId: ctx.actor.id, input, actor: ctx.actor, requestId: ctx.requestId });
  revalidatePath('/settings/tokens');
  return { message: `Created token "${apiToken.name}".`, data: { token } };
});

export const revokeTokenAction = formAction({ schema: ZTokenIdParams }, async (input, ctx) => {
  const token = await revokeApiToken(ctx, input.id);
  revalidatePath('/settings/tokens');
  return { message: `Revoked "${token.name}".` };
});
