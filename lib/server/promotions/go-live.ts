import 'server-only';
import type { Tx } from '@/lib/db';
import type { Release } from '@/lib/generated/prisma/client';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { lockLane } from './lane-lock';
import { transitionRelease } from './release-machine';

/**
 * Makes a deploying release the live version of its environment; the release it replaces
 * becomes superseded (rolled back, when the deploying release is a rollback). Runs under the lane lock, so it and a rollback happen one after the
 * other; the partial unique index on live releases is the last line of defence.
 */
export async function goLive(tx: Tx, release: Release, at?: Date) {
  await lockLane(tx, release.modelId, release.environmentId);
  const current = await tx.release.findFirst({
    where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary' },
    include: { version: { select: { version: true } } },
  });
  const now = at ?? new Date();
  // A rollback ends what it rolls back, and keeps the history it was given when requested
  // (what the restored version had replaced), so rolling back again goes one step further.
  if (current) {
    await transitionRelease(tx, current, release.isRollback ? 'rolled_back' : 'superseded', {
      endedAt: now,
      ...(release.isRollback ? { statusReason: release.note } : {}),
    });
  }
  const live = await transitionRelease(tx, release, 'live', {
    slot: 'primary',
    liveAt: now,
    replacedId: release.isRollback ? release.replacedId : (current?.id ?? null),
  });
  const [version, environment] = await Promise.all([
    tx.modelVersion.findUniqueOrThrow({ where: { id: release.versionId }, include: { model: { select: { name: true } } } }),
    tx.environment.findUniqueOrThrow({ where: { id: release.environmentId }, select: { name: true } }),
  ]);
  const event = {
    releaseId: release.id,
    model: version.model.name,
    version: version.version,
    environment: environment.name,
    replacedVersion: current?.version.version ?? null,
  };
  await emitEvent(tx, 'release.live', event);
  await recordAudit(tx, {
    actor: null,
    action: 'release.live',
    targetType: 'release',
    targetId: release.id,
    before: { liveVersion: current?.version.version ?? null },
    after: { liveVersion: version.version, ...event },
    at,
  });
  return live;
}
