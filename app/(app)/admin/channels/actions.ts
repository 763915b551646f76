'use server';

import { revalidatePath } from 'next/cache';
import { createChannel } from '@/lib/server/channels/create-channel';
import { deleteChannel } from '@/lib/server/channels/delete-channel';
import { sendTestMessage } from '@/lib/server/channels/send-test-message';
import { formAction } from '@/lib/server/http/action';
import { ZChannelIdParams, ZCreateChannel } from '@/lib/validation/alerts';

export const createChannelAction = formAction({ permission: 'channels:manage', schema: ZCreateChannel }, async (input, ctx) => {
  const { channel, secret } = await createChannel(ctx, input);
  revalidatePath('/admin/channels');
  return { message: `Created the channel ${channel.name}.`, data: { name: channel.name, secret } };
});

export const deleteChannelAction = formAction({ permission: 'channels:manage', schema: ZChannelIdParams }, async (input, ctx) => {
  const channel = await deleteChannel(ctx, input.id);
  revalidatePath('/admin/channels');
  return { message: `Deleted the channel ${channel.name}.` };
});

export const testChannelAction = formAction({ permission: 'channels:manage', schema: ZChannelIdParams }, async (input, ctx) => {
  await sendTestMessage(ctx, input.id);
  revalidatePath('/admin/channels');
  return { message: 'Test message queued; its delivery appears below (reload to follow it).' };
});
