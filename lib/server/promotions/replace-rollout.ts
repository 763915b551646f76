import 'server-only';
import { db } from '@/lib/db';
import type { Release } from '@/lib/generated/prisma/client';
import { artifactSourceFor } from '@/lib/server/deployments/artifact-source';
import { BackendError, type DeploymentBackend, type DeploymentTarget } from '@/lib/server/deployments/backends/types';
import { recordProgress } from '@/lib/server/deployments/rollout-progress';
import { failRelease, finishUnloading } from './finish-rollout';
import { goLive } from './go-live';
import { lockLane } from './lane-lock';
import { lockRelease } from './release-machine';

/** What a running rollout drives: the release, its environment's backend and the version. */
export interface RolloutContext {
  releaseId: string;
  release: Release;
  backend: DeploymentBackend;
  backendType: string;
  thresholds: { intervalSeconds: number; maxErrorRateIncrease: number; maxLatencyRatio: number; minRequests: number };
  target: DeploymentTarget;
  version: number;
  modelTask: 'classification' | 'regression' | 'other';
}

/**
 * Loads the release's version beside what serves (the backend verifies the sha256 and warms
 * it up). Returns false when the backend refused it for good: the release is failed then,
 * before any traffic moved. Retryable errors propagate to the queue.
 */
export async function loadVersion(rollout: RolloutContext): Promise<boolean> {
  const { releaseId, backend, target, version, release } = rollout;
  await recordProgress(releaseId, { backend: rollout.backendType, endpoint: backend.endpoint(target) });
  try {
    const details = await db().release.findUniqueOrThrow({ where: { id: release.id }, include: { model: true, version: true } });
    const artifact = artifactSourceFor(details.model, details.version);
    await recordProgress(releaseId, { phase: 'loading' }, `Loading v${version} on the ${rollout.backendType} backend`);
    await backend.deploy(target, version, artifact);
    await recordProgress(releaseId, { phase: 'switching', lastError: null }, `v${version} loaded and warmed up`);
    return true;
  } catch (error) {
    if (error instanceof BackendError && !error.retryable) {
      await failRelease(releaseId, `Refused before any traffic moved: ${error.message}`);
      return false;
    }
    throw error;
  }
}

/**
 * A replace is blue/green: load the new version beside the old one, switch 100 % of traffic
 * in one call while holding the release and lane locks, commit, then unload the replaced
 * version (the backend lets its in-flight requests finish first). Nothing moves traffic
 * before the new version is loaded, so any failure up to the switch leaves the environment
 * serving what it served.
 */
export async function replaceRollout(rollout: RolloutContext): Promise<void> {
  const { releaseId, backend, target, version } = rollout;
  if (!(await loadVersion(rollout))) return;

  const switched = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (release?.status !== 'deploying') return null;
    await lockLane(tx, release.modelId, release.environmentId);
    const replaced = await tx.release.findFirst({
      where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary' },
      include: { version: { select: { version: true } } },
    });
    await backend.setTraffic(target, { routes: [{ version, percent: 100 }], shadow: null });
    await goLive(tx, release);
    const unload = replaced && replaced.version.version !== version ? [replaced.version.version] : [];
    await recordProgress(releaseId, { phase: unload.length ? 'unloading' : 'done', unload }, `100 % of traffic on v${version}`, tx);
    return release;
  }).catch(async (error: unknown) => {
    if (error instanceof BackendError && !error.retryable) {
      await failRelease(releaseId, `The backend refused the traffic switch: ${error.message}`);
      return null;
    }
    throw error;
  });
  if (switched) await finishUnloading(releaseId, { backend, target });
}
