import 'server-only';
import type { Tx } from '@/lib/db';
import { db } from '@/lib/db';
import type { Release } from '@/lib/generated/prisma/client';
import { conflict } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { findEnvironmentOrThrow, findModelOrThrow } from '@/lib/server/registry/find-model';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { lockLane } from './lane-lock';
import { refuseDuringProgressiveRollout } from './request-promotion';
import { transitionRelease } from './release-machine';

/**
 * Puts the previously live version back, without a new approval (it was approved before).
 * The rolled-back release ends; a new live release records the rollback, and remembers
 * what the restored version had replaced, so rolling back again goes one step further.
 * `expectedReleaseId` (what the caller saw as live) turns a race with a promotion into a
 * 409 instead of rolling back a release the caller never saw. With a deployment backend the
 * switch happens in the release-deploy job a moment later (`pending: true`).
 */
export async function rollbackEnvironment(
  ctx: RequestContext,
  options: { model: string; environment: string; expectedReleaseId?: string },
) {
  return db().$transaction(async (tx) => {
    const model = await findModelOrThrow(options.model, tx);
    const environment = await findEnvironmentOrThrow(options.environment, tx);
    await lockLane(tx, model.id, environment.id);
    const current = await tx.release.findFirst({
      where: { modelId: model.id, environmentId: environment.id, status: 'live', slot: 'primary' },
      include: { version: { select: { version: true } } },
    });
    if (!current) throw conflict(`Nothing of "${model.name}" is live in ${environment.name}.`, 'nothing_live');
    await refuseDuringProgressiveRollout(tx, model.id, environment.id, environment.name);
    if (options.expectedReleaseId && options.expectedReleaseId !== current.id) {
      throw conflict(`What is live in ${environment.name} changed (now v${current.version.version}); reload before rolling back.`, 'live_release_changed');
    }
    const previous = current.replacedId
      ? await tx.release.findUnique({ where: { id: current.replacedId }, include: { version: { select: { version: true, status: true } } } })
      : null;
    if (!previous) {
      throw conflict(`v${current.version.version} is the first version live in ${environment.name}; there is nothing to roll back to.`, 'no_previous_release');
    }
    if (previous.version.status === 'archived') {
      throw conflict(`v${previous.version.version}, the version before, is archived; promote another version instead.`, 'version_archived');
    }
    const now = new Date();
    if (await tx.environmentBackend.findUnique({ where: { environmentId: environment.id }, select: { type: true } })) {
      return rollbackOnBackend(tx, ctx, { model, environment, current, previous, now });
    }
    await transitionRelease(tx, current, 'rolled_back', { endedAt: now, statusReason: `rolled back by ${ctx.actor.email}` });
    const restored = await tx.release.create({
      data: {
        modelId: model.id,
        versionId: previous.versionId,
        environmentId: environment.id,
        strategy: 'replace',
        note: `Rollback from v${current.version.version}`,
        status: 'live',
        slot: 'primary',
        isRollback: true,
        requestedById: ctx.actor.id,
        approvedAt: now,
        liveAt: now,
        replacedId: previous.replacedId,
      },
    });
    const event = {
      releaseId: restored.id,
      rolledBackReleaseId: current.id,
      model: model.name,
      environment: environment.name,
      fromVersion: current.version.version,
      toVersion: previous.version.version,
      by: ctx.actor.email,
    };
    await emitEvent(tx, 'release.rolled_back', event);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'release.rollback',
      targetType: 'environment',
      targetId: `${model.name}/${environment.name}`,
      before: { liveVersion: current.version.version, releaseId: current.id },
      after: { liveVersion: previous.version.version, releaseId: restored.id },
      requestId: ctx.requestId,
    });
    return { liveVersion: previous.version.version, since: now.toISOString(), release: restored, pending: false };
  });
}

/**
 * With a deployment backend, the previous version must be loaded and traffic switched before
 * it is live: the rollback becomes an approved release (approved before, so no new approval)
 * that the release-deploy job rolls out at once. What is live stays live until the switch.
 */
async function rollbackOnBackend(
  tx: Tx,
  ctx: RequestContext,
  options: {
    model: { id: string; name: string };
    environment: { id: string; name: string };
    current: Release & { version: { version: number } };
    previous: Release & { version: { version: number } };
    now: Date;
  },
) {
  const { model, environment, current, previous, now } = options;
  const inProgress = await tx.release.findFirst({
    where: { modelId: model.id, environmentId: environment.id, isRollback: true, status: { in: ['approved', 'deploying'] } },
  });
  if (inProgress) throw conflict(`A rollback of ${environment.name} is already under way.`, 'rollback_in_progress');
  const restoring = await tx.release.create({
    data: {
      modelId: model.id,
      versionId: previous.versionId,
      environmentId: environment.id,
      strategy: 'replace',
      note: `Rollback from v${current.version.version} by ${ctx.actor.email}`,
      status: 'approved',
      isRollback: true,
      requestedById: ctx.actor.id,
      approvedAt: now,
      replacedId: previous.replacedId,
    },
  });
  await enqueue(tx, QUEUES.deployRelease, { releaseId: restoring.id });
  await emitEvent(tx, 'release.rolled_back', {
    releaseId: restoring.id,
    rolledBackReleaseId: current.id,
    model: model.name,
    environment: environment.name,
    fromVersion: current.version.version,
    toVersion: previous.version.version,
    by: ctx.actor.email,
  });
  await recordAudit(tx, {
    actor: ctx.actor,
    action: 'release.rollback',
    targetType: 'environment',
    targetId: `${model.name}/${environment.name}`,
    before: { liveVersion: current.version.version, releaseId: current.id },
    after: { liveVersion: previous.version.version, releaseId: restoring.id, status: 'approved' },
    requestId: ctx.requestId,
  });
  return { liveVersion: previous.version.version, since: now.toISOString(), release: restoring, pending: true };
}
