'use server';

import { revalidatePath } from 'next/cache';
import { AppError } from '@/lib/errors';
import { configureEnvironmentBackend, removeEnvironmentBackend } from '@/lib/server/deployments/configure-environment-backend';
import { checkEnvironmentBackend } from '@/lib/server/deployments/get-environment-backend';
import { formAction } from '@/lib/server/http/action';
import { validationError } from '@/lib/server/http/problem';
import { ZEnvironmentBackendForm, ZEnvironmentBackendInput } from '@/lib/validation/deployments';

export const environmentBackendAction = formAction(
  { permission: 'backends:manage', schema: ZEnvironmentBackendForm },
  async ({ environment, intent, input }, ctx) => {
    if (intent === 'remove') {
      const { removed } = await removeEnvironmentBackend(ctx, environment);
      revalidatePath('/admin/environments');
      return { message: removed ? `${environment} has no deployment backend now: going live moves the registry alias only.` : `${environment} had no backend.` };
    }
    if (intent === 'check') {
      const health = await checkEnvironmentBackend(environment);
      if (!health.ok) throw new AppError(502, 'backend_unreachable', health.detail);
      return { message: health.detail };
    }
    const parsed = ZEnvironmentBackendInput.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error, 'form');
    await configureEnvironmentBackend(ctx, environment, parsed.data);
    revalidatePath('/admin/environments');
    return { message: `Saved the deployment backend of ${environment}.` };
  },
);
