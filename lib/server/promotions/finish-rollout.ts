import 'server-only';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { DeploymentBackend, DeploymentTarget } from '@/lib/server/deployments/backends/types';
import { resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { readProgress, recordProgress } from '@/lib/server/deployments/rollout-progress';
import { logger } from '@/lib/server/logger';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { lockLane } from './lane-lock';
import { lockRelease, transitionRelease } from './release-machine';

export interface BackendTarget {
  backend: DeploymentBackend;
  target: DeploymentTarget;
}

async function backendFor(releaseId: string): Promise<BackendTarget | null> {
  const release = await db().release.findUnique({
    where: { id: releaseId },
    include: { model: { select: { name: true } }, environment: { select: { name: true } } },
  });
  if (!release) return null;
  const resolved = await resolveEnvironmentBackend(release.environmentId);
  return resolved && { backend: resolved.backend, target: { environment: release.environment.name, model: release.model.name } };
}

/** Every request back on the primary: no canary route, no shadow mirror. */
export async function restorePrimary(known: BackendTarget, primaryVersion: number): Promise<void> {
  await known.backend.setTraffic(known.target, { routes: [{ version: primaryVersion, percent: 100 }], shadow: null });
}

/**
 * Unloads what a live release replaced. The release is live whatever happens here: a failure
 * is recorded on its timeline and the version stays loaded (it takes no traffic).
 */
export async function finishUnloading(releaseId: string, known?: BackendTarget): Promise<void> {
  const release = await db().release.findUnique({ where: { id: releaseId } });
  if (!release || release.status !== 'live') return;
  const progress = readProgress(release.rollout);
  if (progress.phase !== 'unloading' || !progress.unload?.length) return;
  const resolved = known ?? (await backendFor(releaseId));
  if (!resolved) return;
  for (const version of progress.unload) {
    try {
      await resolved.backend.undeploy(resolved.target, version);
      await recordProgress(releaseId, {}, `v${version} unloaded after its in-flight requests finished`);
    } catch (error) {
      logger().warn({ err: error, releaseId, version }, 'unloading the replaced version failed');
      await recordProgress(releaseId, {}, `v${version} could not be unloaded (it takes no traffic): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  await recordProgress(releaseId, { phase: 'done', unload: [] });
}

/**
 * The second half of an abort (by the analysis or a person) or of a stopped/promoted shadow:
 * all traffic back on the primary, then the version unloaded unless another release uses it.
 * Idempotent: a job run again after kill -9 repeats the same two calls.
 */
export async function finishAborting(releaseId: string, known?: BackendTarget): Promise<void> {
  const release = await db().release.findUnique({ where: { id: releaseId } });
  if (!release || (release.status !== 'aborted' && release.status !== 'superseded')) return;
  const progress = readProgress(release.rollout);
  if (progress.phase !== 'aborting') return;
  const resolved = known ?? (await backendFor(releaseId));
  if (!resolved) return;
  const restored = await restoreLivePrimary(release, resolved);
  await recordProgress(releaseId, { phase: 'aborted' }, restored === null ? undefined : `100 % of traffic back on v${restored}`);
  await unloadIfIdle(releaseId);
}

/**
 * All traffic to what is live in the release's lane now, read under the lane lock: a replace
 * opened by promoting a shadow may have gone live meanwhile, and its switch must not be undone.
 */
async function restoreLivePrimary(release: { modelId: string; environmentId: string }, known: BackendTarget): Promise<number | null> {
  return db().$transaction(
    async (tx) => {
      await lockLane(tx, release.modelId, release.environmentId);
      const live = await tx.release.findFirst({
        where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary' },
        include: { version: { select: { version: true } } },
      });
      if (!live) return null;
      await restorePrimary(known, live.version.version);
      return live.version.version;
    },
    { timeout: 30_000 },
  );
}

/** Called by the queue after the last retry: the release is failed and announced as such. */
export async function failRelease(releaseId: string, reason: string): Promise<void> {
  const failed = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (!release || !['approved', 'deploying', 'paused'].includes(release.status)) return null;
    await transitionRelease(tx, release, 'failed', { endedAt: new Date(), statusReason: reason.slice(0, 2000) });
    await recordProgress(releaseId, { phase: 'failed', lastError: reason }, `Failed: ${reason}`, tx);
    await emitEvent(tx, 'release.failed', { releaseId, reason });
    await recordAudit(tx, {
      actor: null,
      action: 'release.fail',
      targetType: 'release',
      targetId: releaseId,
      before: { status: release.status },
      after: { status: 'failed', reason },
    });
    return release;
  });
  if (!failed) return;
  // A canary or shadow that took traffic gives it back before its version is freed.
  const progress = readProgress(failed.rollout);
  if (progress.canary || progress.shadow) {
    const resolved = await backendFor(releaseId).catch(() => null);
    if (resolved) await restoreLivePrimary(failed, resolved).catch((error: unknown) => logger().warn({ err: error, releaseId }, 'could not restore the primary of a failed release'));
  }
  await unloadIfIdle(releaseId);
}

/** A version without traffic is freed unless another release in the environment still uses it. */
export async function unloadIfIdle(releaseId: string): Promise<void> {
  const release = await db().release.findUniqueOrThrow({
    where: { id: releaseId },
    include: { model: { select: { name: true } }, version: { select: { version: true } }, environment: { select: { name: true } } },
  });
  const stillUsed = await db().release.count({
    where: {
      modelId: release.modelId,
      environmentId: release.environmentId,
      versionId: release.versionId,
      id: { not: release.id },
      status: { in: ['live', 'deploying', 'approved', 'paused', 'pending_approval'] },
    },
  });
  if (stillUsed > 0) return;
  try {
    const resolved = await resolveEnvironmentBackend(release.environmentId);
    const target = { environment: release.environment.name, model: release.model.name };
    const status = await resolved?.backend.status(target);
    if (!resolved || !status) return;
    const routed = status.traffic.routes.some((r) => r.version === release.version.version) || status.traffic.shadow?.version === release.version.version;
    if (routed) return;
    await resolved.backend.undeploy(target, release.version.version);
    await recordProgress(releaseId, {}, `v${release.version.version} unloaded`);
  } catch (error) {
    logger().warn({ err: error, releaseId }, 'could not unload the version of a release that ended');
  }
}

/** After a retryable failure: the timeline says what went wrong and that the job tries again. */
export async function recordRetry(releaseId: string, attempt: number, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await recordProgress(releaseId, { attempts: attempt, lastError: message }, `Attempt ${attempt} failed, retrying: ${message}`).catch(() => undefined);
}
