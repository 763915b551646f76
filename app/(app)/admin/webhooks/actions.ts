'use server';

import { revalidatePath } from 'next/cache';
import { formAction } from '@/lib/server/http/action';
import { createWebhook } from '@/lib/server/webhooks/create-webhook';
import { deleteWebhook } from '@/lib/server/webhooks/delete-webhook';
import { ZCreateWebhookForm, ZWebhookIdParams } from '@/lib/validation/webhooks';

export const createWebhookAction = formAction({ permission: 'webhooks:manage', schema: ZCreateWebhookForm }, async (input, ctx) => {
  const { webhook, secret } = await createWebhook(ctx, input);
  revalidatePath('/admin/webhooks');
  return { message: `Created a webhook for ${webhook.url}.`, data: { url: webhook.url, secret } };
});

export const deleteWebhookAction = formAction({ permission: 'webhooks:manage', schema: ZWebhookIdParams }, async (input, ctx) => {
  const webhook = await deleteWebhook(ctx, input.id);
  revalidatePath('/admin/webhooks');
  return { message: `Deleted the webhook for ${webhook.url}.` };
});
