'use server';

import { revalidatePath } from 'next/cache';
import { formAction } from '@/lib/server/http/action';
import { controlRelease } from '@/lib/server/promotions/control-release';
import { approveRelease, cancelRelease, rejectRelease } from '@/lib/server/promotions/review-release';
import { ZCancelReleaseForm, ZControlReleaseForm, ZReviewForm } from '@/lib/validation/registry-forms';

export const reviewReleaseAction = formAction({ permission: 'releases:review', schema: ZReviewForm }, async (input, ctx) => {
  if (input.decision === 'approve') {
    const release = await approveRelease(ctx, input.id, input.comment ?? '');
    revalidateRelease(input.id);
    return {
      message: release.status === 'approved' ? 'Approved. The release is deploying.' : 'Approved. More approvals are needed before it starts.',
    };
  }
  await rejectRelease(ctx, input.id, input.comment);
  revalidateRelease(input.id);
  return { message: 'Rejected.' };
});

export const cancelReleaseAction = formAction({ permission: 'releases:request', schema: ZCancelReleaseForm }, async (input, ctx) => {
  await cancelRelease(ctx, input.id);
  revalidateRelease(input.id);
  return { message: 'Request cancelled.' };
});

const CONTROL_DONE = {
  pause: 'Paused. No further step until you resume.',
  resume: 'Resumed. The current step gets a fresh interval.',
  abort: 'Aborted. Traffic goes back to the primary.',
  'promote-now': 'Promoting now.',
} as const;

export const controlReleaseAction = formAction({ permission: 'deployments:operate', schema: ZControlReleaseForm }, async (input, ctx) => {
  const { promotionId } = await controlRelease(ctx, input.id, input.control);
  revalidateRelease(input.id);
  return { message: promotionId ? 'A replace request for this version was opened.' : CONTROL_DONE[input.control], data: { promotionId: promotionId ?? null } };
});

function revalidateRelease(id: string) {
  revalidatePath(`/releases/${id}`);
  revalidatePath('/releases');
  // The model page shows pending requests and what is live in its lanes.
  revalidatePath('/models/[name]', 'page');
}
