import type { Release } from '@/lib/generated/prisma/client';
import { readProgress } from '@/lib/server/deployments/rollout-progress';
import type { GateResult } from './evaluate-gates';

type ReleaseWithRefs = Release & {
  model: { name: string };
  version: { version: number };
  environment: { name: string; requiredApprovals: number };
  approvals: { decision: string }[];
};

export function serializeRelease(release: ReleaseWithRefs, requestedBy: string | null) {
  return {
    id: release.id,
    model: release.model.name,
    version: release.version.version,
    environment: release.environment.name,
    status: release.status,
    strategy: serializeStrategy(release),
    note: release.note,
    isRollback: release.isRollback,
    requestedBy,
    requestedAt: release.requestedAt.toISOString(),
    approvals: release.approvals.filter((a) => a.decision === 'approve').length,
    requiredApprovals: release.environment.requiredApprovals,
    gates: release.gates as unknown as GateResult[],
    approvedAt: release.approvedAt?.toISOString() ?? null,
    liveAt: release.liveAt?.toISOString() ?? null,
    endedAt: release.endedAt?.toISOString() ?? null,
    statusReason: release.statusReason,
    rollout: serializeRollout(release.rollout),
  };
}

/** A release's strategy as requested: canary steps and interval, or the shadow's mirrored share. */
export function serializeStrategy(release: Pick<Release, 'strategy' | 'steps' | 'intervalSeconds' | 'shadowPercent'>) {
  return {
    type: release.strategy,
    ...(release.strategy === 'canary' ? { steps: release.steps, intervalSeconds: release.intervalSeconds } : {}),
    ...(release.strategy === 'shadow' ? { percent: release.shadowPercent } : {}),
  };
}

function serializeRollout(value: Release['rollout']) {
  const progress = readProgress(value);
  if (!progress.phase) return null;
  return {
    backend: progress.backend ?? null,
    endpoint: progress.endpoint ?? null,
    phase: progress.phase,
    attempts: progress.attempts ?? 0,
    lastError: progress.lastError ?? null,
    events: progress.events ?? [],
    canary: progress.canary ?? null,
    shadow: progress.shadow ? { ...progress.shadow, promotedReleaseId: progress.shadow.promotedReleaseId ?? null } : null,
  };
}
