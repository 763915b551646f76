'use server';

import { revalidatePath } from 'next/cache';
import { setEnvironmentArchived } from '@/lib/server/environments/archive-environment';
import { createEnvironment } from '@/lib/server/environments/create-environment';
import { deleteEnvironment } from '@/lib/server/environments/delete-environment';
import { moveEnvironment } from '@/lib/server/environments/move-environment';
import { updateEnvironment } from '@/lib/server/environments/update-environment';
import { formAction } from '@/lib/server/http/action';
import { ZCreateEnvironmentForm, ZEnvironmentNameForm, ZMoveEnvironmentForm, ZSetArchivedForm } from '@/lib/validation/environments';
import { ZUpdateEnvironmentForm } from '@/lib/validation/registry-forms';

export const updateEnvironmentAction = formAction(
  { permission: 'environments:manage', schema: ZUpdateEnvironmentForm },
  async ({ name, input }, ctx) => {
    await updateEnvironment(ctx, name, input);
    revalidatePath('/admin/environments');
    return { message: `Saved the rules of ${name}.` };
  },
);

export const createEnvironmentAction = formAction(
  { permission: 'environments:manage', schema: ZCreateEnvironmentForm },
  async (input, ctx) => {
    const created = await createEnvironment(ctx, input);
    revalidatePath('/admin/environments');
    return { message: `Added ${created.name} as environment ${created.position}.` };
  },
);

export const moveEnvironmentAction = formAction(
  { permission: 'environments:manage', schema: ZMoveEnvironmentForm },
  async ({ name, direction }, ctx) => {
    const order = await moveEnvironment(ctx, name, { direction });
    revalidatePath('/admin/environments');
    return { message: `Moved ${name} ${direction}. Order: ${order.map((e) => e.name).join(' → ')}.` };
  },
);

export const deleteEnvironmentAction = formAction(
  { permission: 'environments:manage', schema: ZEnvironmentNameForm },
  async ({ name }, ctx) => {
    const remaining = await deleteEnvironment(ctx, name);
    revalidatePath('/admin/environments');
    return { message: `Deleted ${name}. Order: ${remaining.map((e) => e.name).join(' → ')}.` };
  },
);

export const setArchivedAction = formAction(
  { permission: 'environments:manage', schema: ZSetArchivedForm },
  async ({ name, archived }, ctx) => {
    await setEnvironmentArchived(ctx, name, archived);
    revalidatePath('/admin/environments');
    return { message: archived ? `Archived ${name}.` : `${name} is in use again.` };
  },
);
