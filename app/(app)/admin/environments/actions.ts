'use server';

import { revalidatePath } from 'next/cache';
import { updateEnvironment } from '@/lib/server/environments/update-environment';
import { formAction } from '@/lib/server/http/action';
import { ZUpdateEnvironmentForm } from '@/lib/validation/registry-forms';

export const updateEnvironmentAction = formAction(
  { permission: 'environments:manage', schema: ZUpdateEnvironmentForm },
  async ({ name, input }, ctx) => {
    await updateEnvironment(ctx, name, input);
    revalidatePath('/admin/environments');
    return { message: `Saved the rules of ${name}.` };
  },
);
