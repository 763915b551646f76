'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/lib/server/http/action';
import { validationError } from '@/lib/server/http/problem';
import { setRetrainingWebhook } from '@/lib/server/retraining/set-retraining-webhook';
import { ZEnvironmentName } from '@/lib/validation/registry';
import { ZRetrainingWebhook } from '@/lib/validation/retraining';
import { ZText } from '@/lib/validation/common';

const ZRetrainingWebhookForm = z.object({
  environment: ZEnvironmentName,
  intent: z.enum(['save', 'remove']).default('save'),
  url: ZText.max(2000).optional(),
  secret: ZText.max(500).optional(),
});

export const retrainingWebhookAction = formAction({ permission: 'environments:manage', schema: ZRetrainingWebhookForm }, async (input, ctx) => {
  if (input.intent === 'remove') {
    await setRetrainingWebhook(ctx, input.environment, null);
    revalidatePath('/admin/environments');
    return { message: `${input.environment} no longer sends retraining requests.` };
  }
  const parsed = ZRetrainingWebhook.safeParse({ url: input.url ?? '', secret: input.secret ?? '' });
  if (!parsed.success) throw validationError(parsed.error, 'form');
  await setRetrainingWebhook(ctx, input.environment, parsed.data);
  revalidatePath('/admin/environments');
  return { message: `Retraining requests from ${input.environment} now go to the pipeline.` };
});
