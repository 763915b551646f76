'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { transitionAlert } from '@/lib/server/alerts/transition-alert';
import { requestRetraining } from '@/lib/server/retraining/request-retraining';
import { formAction } from '@/lib/server/http/action';
import { ZText, ZUuid } from '@/lib/validation/common';

const ZAlertForm = z.object({ id: ZUuid, comment: ZText.trim().max(2000).optional() });

export const acknowledgeAlertAction = formAction({ permission: 'alerts:manage', schema: ZAlertForm }, async (input, ctx) => {
  const alert = await transitionAlert(ctx, input.id, 'acknowledge', input.comment || undefined);
  revalidatePath('/alerts');
  return { message: `Acknowledged “${alert.ruleName}”.` };
});

export const resolveAlertAction = formAction({ permission: 'alerts:manage', schema: ZAlertForm }, async (input, ctx) => {
  const alert = await transitionAlert(ctx, input.id, 'resolve', input.comment || undefined);
  revalidatePath('/alerts');
  return { message: `Resolved “${alert.ruleName}”.` };
});

export const requestRetrainingAction = formAction({ permission: 'alerts:manage', schema: ZAlertForm }, async (input, ctx) => {
  await requestRetraining(ctx, input.id, input.comment || undefined);
  revalidatePath(`/alerts/${input.id}`);
  return { message: 'Retraining requested: the pipeline is being notified.' };
});
