import 'server-only';
import { db, type Tx } from '@/lib/db';
import { Prisma } from '@/lib/generated/prisma/client';
import { AppError, conflict, notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { evaluateGates } from './evaluate-gates';
import { recordEvidence } from './record-evidence';
import { assertTransition, lockRelease, transitionRelease } from './release-machine';
import { throwIfGatesFailed } from './request-promotion';

async function loadForReview(tx: Tx, releaseId: string) {
  const release = await lockRelease(tx, releaseId);
  if (!release) throw notFound(`Release ${releaseId} not found.`);
  const [version, environment] = await Promise.all([
    tx.modelVersion.findUniqueOrThrow({ where: { id: release.versionId }, include: { model: true } }),
    tx.environment.findUniqueOrThrow({ where: { id: release.environmentId } }),
  ]);
  const event = { releaseId: release.id, model: version.model.name, version: version.version, environment: environment.name };
  return { release, version, environment, event };
}

/** One review per reviewer and release (unique index): a second one is a 409. */
async function recordReview(tx: Tx, releaseId: string, reviewerId: string, decision: 'approve' | 'reject', comment: string, at: Date) {
  try {
    await tx.approval.create({ data: { releaseId, reviewerId, decision, comment, createdAt: at } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('You have already reviewed this release.', 'already_reviewed');
    }
    throw error;
  }
}

/**
 * A reviewer approves. Never the requester (and, where the environment says so, never the
 * version's author); gates are evaluated again; when enough approvals are in, the release
 * starts. The row lock makes two reviewers clicking at once produce one outcome: the
 * second finds the release already approved and gets 409.
 */
export async function approveRelease(ctx: RequestContext, releaseId: string, comment = '') {
  return db().$transaction(async (tx) => {
    const { release, version, environment, event } = await loadForReview(tx, releaseId);
    assertTransition(release, 'approved');
    if (release.requestedById === ctx.actor.id) {
      throw new AppError(403, 'self_approval', 'You requested this release; another reviewer must approve it.');
    }
    if (environment.authorCannotApprove && version.createdById === ctx.actor.id) {
      throw new AppError(403, 'author_approval', `You registered v${version.version}; ${environment.name} needs a reviewer who did not.`);
    }
    const now = ctx.at ?? new Date();
    const gates = await evaluateGates(tx, version, environment, now);
    throwIfGatesFailed(gates, 409);
    await recordReview(tx, releaseId, ctx.actor.id, 'approve', comment, now);
    await recordEvidence(tx, { release, version, kind: 'approval', actor: ctx.actor, gates, at: now });
    const approvals = await tx.approval.count({ where: { releaseId, decision: 'approve' } });
    const complete = approvals >= Math.max(1, environment.requiredApprovals);
    const gatesJson = gates as unknown as Prisma.InputJsonValue;
    const updated = complete
      ? await transitionRelease(tx, release, 'approved', { approvedAt: now, gates: gatesJson })
      : await tx.release.update({ where: { id: releaseId }, data: { gates: gatesJson, revision: { increment: 1 } } });
    if (complete) {
      await emitEvent(tx, 'promotion.approved', { ...event, approvedBy: ctx.actor.email, approvals });
      await enqueue(tx, QUEUES.deployRelease, { releaseId });
    }
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'promotion.approve',
      targetType: 'release',
      targetId: releaseId,
      before: { status: release.status },
      after: { status: updated.status, approvals, required: environment.requiredApprovals, comment, ...event },
      requestId: ctx.requestId,
      at: ctx.at,
    });
    return updated;
  });
}

export async function rejectRelease(ctx: RequestContext, releaseId: string, comment: string) {
  return db().$transaction(async (tx) => {
    const { release, event } = await loadForReview(tx, releaseId);
    assertTransition(release, 'rejected');
    const now = ctx.at ?? new Date();
    await recordReview(tx, releaseId, ctx.actor.id, 'reject', comment, now);
    const updated = await transitionRelease(tx, release, 'rejected', { endedAt: now, statusReason: comment });
    await emitEvent(tx, 'promotion.rejected', { ...event, rejectedBy: ctx.actor.email, comment });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'promotion.reject',
      targetType: 'release',
      targetId: releaseId,
      before: { status: release.status },
      after: { status: updated.status, comment, ...event },
      requestId: ctx.requestId,
      at: ctx.at,
    });
    return updated;
  });
}

/** The requester (or an admin) withdraws a request that has not started deploying. */
export async function cancelRelease(ctx: RequestContext, releaseId: string) {
  return db().$transaction(async (tx) => {
    const { release, event } = await loadForReview(tx, releaseId);
    if (release.requestedById !== ctx.actor.id && !ctx.actor.roles.includes('admin')) {
      throw new AppError(403, 'not_requester', 'Only the engineer who requested this release (or an admin) can cancel it.');
    }
    assertTransition(release, 'cancelled');
    const updated = await transitionRelease(tx, release, 'cancelled', { endedAt: new Date(), statusReason: 'cancelled by requester' });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'promotion.cancel',
      targetType: 'release',
      targetId: releaseId,
      before: { status: release.status },
      after: { status: updated.status, ...event },
      requestId: ctx.requestId,
    });
    return updated;
  });
}
