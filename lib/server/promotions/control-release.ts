import 'server-only';
import { db, type Tx } from '@/lib/db';
import { Prisma, type Release } from '@/lib/generated/prisma/client';
import { conflict, notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { readProgress, recordProgress } from '@/lib/server/deployments/rollout-progress';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { assertControl, lockRelease, transitionRelease, type ReleaseControl } from './release-machine';
import { requestPromotionInTx } from './request-promotion';

/**
 * Pause, resume, abort and "promote now" on a running canary or shadow. Each is one
 * transaction on the locked release row: the machine decides whether the control applies
 * (409 `invalid_transition` otherwise), the change is committed with a revision check, the
 * job that carries it out is enqueued in the same transaction, and the audit entry is its last
 * statement. Two people clicking at once: the second waits for the lock, finds the release
 * changed and gets 409.
 */
export async function controlRelease(ctx: RequestContext, releaseId: string, control: ReleaseControl) {
  try {
    return await db().$transaction(async (tx) => {
      const release = await lockRelease(tx, releaseId);
      if (!release) throw notFound(`Release ${releaseId} not found.`);
      assertControl(release, control);
      const result = await APPLY[control](tx, ctx, release);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: `release.${control === 'promote-now' ? 'promote_now' : control}`,
        targetType: 'release',
        targetId: release.id,
        before: { status: release.status },
        after: { status: result.release.status, ...(result.promotionId ? { promotionId: result.promotionId } : {}) },
        requestId: ctx.requestId,
      });
      return result;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('There is already an open request for this version in this environment.', 'request_open');
    }
    throw error;
  }
}

type Apply = (tx: Tx, ctx: RequestContext, release: Release) => Promise<{ release: Release; promotionId?: string }>;

const APPLY: Record<ReleaseControl, Apply> = {
  // The job that fires while paused does nothing; resume schedules the next analysis.
  async pause(tx, ctx, release) {
    const updated = await transitionRelease(tx, release, 'paused');
    await recordProgress(release.id, {}, `Paused by ${ctx.actor.email}: no further steps until resumed`, tx);
    return { release: updated };
  },

  // The interval starts again, so the analysis judges traffic seen since the resume.
  async resume(tx, ctx, release) {
    const canary = readProgress(release.rollout).canary;
    const updated = await transitionRelease(tx, release, 'deploying');
    await recordProgress(
      release.id,
      canary ? { canary: { ...canary, intervalStartedAt: new Date().toISOString(), extensions: 0 } } : {},
      `Resumed by ${ctx.actor.email}`,
      tx,
    );
    await enqueue(tx, QUEUES.deployRelease, { releaseId: release.id });
    return { release: updated };
  },

  async abort(tx, ctx, release) {
    const isShadow = release.strategy === 'shadow';
    const reason = isShadow ? `Shadow stopped by ${ctx.actor.email}.` : `Aborted by ${ctx.actor.email}.`;
    const updated = await transitionRelease(tx, release, 'aborted', { endedAt: new Date(), statusReason: reason });
    await recordProgress(release.id, { phase: 'aborting' }, reason.replace(/\.$/, ''), tx);
    await enqueue(tx, QUEUES.deployRelease, { releaseId: release.id });
    await emitEvent(tx, 'release.aborted', { releaseId: release.id, reason, by: ctx.actor.email });
    return { release: updated };
  },

  async 'promote-now'(tx, ctx, release) {
    if (release.strategy === 'shadow') return promoteShadow(tx, ctx, release);
    const canary = readProgress(release.rollout).canary;
    if (!canary) throw conflict('The canary has not taken traffic yet; wait for its first step.', 'not_started');
    if (canary.promoteNow) throw conflict('This canary is already being promoted.', 'already_promoting');
    const updated = release.status === 'paused' ? await transitionRelease(tx, release, 'deploying') : await bumpRevision(tx, release);
    await recordProgress(release.id, { canary: { ...canary, promoteNow: true } }, `Promote now by ${ctx.actor.email}: skipping the remaining steps`, tx);
    await enqueue(tx, QUEUES.deployRelease, { releaseId: release.id });
    return { release: updated };
  },
};

/** A control that is not a status change still bumps the revision: a stale second click fails. */
async function bumpRevision(tx: Tx, release: Release) {
  const { count } = await tx.release.updateMany({ where: { id: release.id, revision: release.revision }, data: { revision: { increment: 1 } } });
  if (count === 0) throw conflict('This release changed while you were acting on it; reload and try again.', 'concurrent_change');
  return tx.release.findUniqueOrThrow({ where: { id: release.id } });
}

/**
 * Promoting a shadow opens a normal replace request for its version, through the approval
 * rules and gates of the environment; the shadow ends (superseded) in the same transaction and
 * its mirror is removed by the job. The version stays loaded for the replace.
 */
async function promoteShadow(tx: Tx, ctx: RequestContext, release: Release) {
  const shadow = readProgress(release.rollout).shadow;
  if (!shadow) throw conflict('The shadow is not mirroring requests yet; wait until it is loaded.', 'not_started');
  const [version, environment] = await Promise.all([
    tx.modelVersion.findUniqueOrThrow({ where: { id: release.versionId }, include: { model: { select: { name: true } } } }),
    tx.environment.findUniqueOrThrow({ where: { id: release.environmentId }, select: { name: true } }),
  ]);
  const updated = await transitionRelease(tx, release, 'superseded', { endedAt: new Date(), statusReason: `Promoted by ${ctx.actor.email}: a replace request was opened.` });
  const requested = await requestPromotionInTx(tx, ctx, {
    model: version.model.name,
    version: version.version,
    input: { environment: environment.name, strategy: { type: 'replace' }, note: `Promoted from the shadow release ${release.id}` },
  });
  await recordProgress(release.id, { phase: 'aborting', shadow: { ...shadow, promotedReleaseId: requested.release.id } }, `Promoted by ${ctx.actor.email}: replace request opened`, tx);
  await enqueue(tx, QUEUES.deployRelease, { releaseId: release.id });
  return { release: updated, promotionId: requested.release.id };
}
