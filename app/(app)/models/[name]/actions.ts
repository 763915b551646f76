'use server';

import { revalidatePath } from 'next/cache';
import { formAction } from '@/lib/server/http/action';
import { requestPromotion } from '@/lib/server/promotions/request-promotion';
import { rollbackEnvironment } from '@/lib/server/promotions/rollback-environment';
import { setRetention } from '@/lib/server/monitoring/set-retention';
import { ZRetentionForm } from '@/lib/validation/monitoring';
import { ZRequestPromotionForm, ZRollbackForm } from '@/lib/validation/registry-forms';

export const requestPromotionAction = formAction(
  { permission: 'releases:request', schema: ZRequestPromotionForm },
  async ({ model, version, input }, ctx) => {
    const { release, environment } = await requestPromotion(ctx, { model, version, input });
    revalidatePath(`/models/${model}`);
    revalidatePath('/releases');
    const next = release.status === 'pending_approval' ? 'it now waits for a reviewer' : 'it goes live in a moment';
    return { message: `Requested v${version} → ${environment}; ${next}.`, data: { releaseId: release.id } };
  },
);

export const rollbackAction = formAction({ permission: 'deployments:operate', schema: ZRollbackForm }, async (input, ctx) => {
  const { liveVersion, pending } = await rollbackEnvironment(ctx, {
    model: input.name,
    environment: input.environment,
    expectedReleaseId: input.expectedReleaseId,
  });
  revalidatePath(`/models/${input.name}`);
  revalidatePath('/models');
  revalidatePath('/releases');
  if (pending) return { message: `Rolling back ${input.environment} to v${liveVersion}: traffic switches as soon as it is loaded.` };
  return { message: `Rolled back ${input.environment} to v${liveVersion}` };
});

export const setRetentionAction = formAction({ permission: 'models:write', schema: ZRetentionForm }, async ({ name, days }, ctx) => {
  const retention = await setRetention(ctx, name, { days });
  revalidatePath(`/models/${name}`);
  return { message: `Monitoring data of ${name} is now kept for ${retention.days} days.` };
});
