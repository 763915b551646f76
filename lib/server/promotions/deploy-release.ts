import 'server-only';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import { artifactSourceFor } from '@/lib/server/deployments/artifact-source';
import { deployThroughCallback } from '@/lib/server/deployments/deploy-through-callback';
import { BackendError, type DeploymentBackend, type DeploymentTarget } from '@/lib/server/deployments/backends/types';
import { resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { readProgress, recordProgress } from '@/lib/server/deployments/rollout-progress';
import { logger } from '@/lib/server/logger';
import { emitEvent } from '@/lib/server/webhooks/emit-event';
import { goLive } from './go-live';
import { lockLane } from './lane-lock';
import { lockRelease, transitionRelease } from './release-machine';

/**
 * The release-deploy job: approved → deploying → live. Idempotent: a retried job (or one
 * run again after kill -9) picks up where the last attempt stopped, and a release that was
 * cancelled in the meantime is left alone. Environments without a deployment backend are
 * registry aliases, so going live is the bookkeeping alone.
 *
 * With a backend, a replace is blue/green: load the new version beside the old one (the
 * backend verifies the sha256 and warms it up), switch 100 % of traffic in one call while
 * holding the release and lane locks, commit, then unload the replaced version (the backend
 * lets its in-flight requests finish first). Nothing moves traffic before the new version
 * is loaded, so any failure up to the switch leaves the environment serving what it served. `at` backdates
 * going live (the demo seed's history only).
 */
export async function deployRelease(releaseId: string, options: { at?: Date } = {}): Promise<void> {
  const started = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (release?.status === 'approved') return transitionRelease(tx, release, 'deploying');
    return release;
  });
  if (!started) return;
  if (started.status === 'live') return finishUnloading(releaseId);
  if (started.status !== 'deploying') return;

  const resolved = await resolveEnvironmentBackend(started.environmentId);
  if (!resolved) {
    await db().$transaction(async (tx) => {
      const release = await lockRelease(tx, releaseId);
      if (release?.status === 'deploying') await goLive(tx, release, options.at);
    });
    return;
  }

  const { backend, row } = resolved;
  const details = await db().release.findUniqueOrThrow({
    where: { id: releaseId },
    include: { model: true, version: true, environment: { select: { name: true } } },
  });
  const target: DeploymentTarget = { environment: details.environment.name, model: details.model.name };
  const version = details.version.version;

  await recordProgress(releaseId, { backend: row.type, endpoint: backend.endpoint(target) });
  // Asynchronous backends (webhook) report the outcome by callback: a separate path, see its file.
  if (backend.asynchronous) return deployThroughCallback(details, backend, backend.asynchronous, row.type, target);
  try {
    const artifact = artifactSourceFor(details.model, details.version);
    await recordProgress(releaseId, { phase: 'loading' }, `Loading v${version} on the ${row.type} backend`);
    await backend.deploy(target, version, artifact);
    await recordProgress(releaseId, { phase: 'switching', lastError: null }, `v${version} loaded and warmed up`);
  } catch (error) {
    if (error instanceof BackendError && !error.retryable) {
      await failRelease(releaseId, `Refused before any traffic moved: ${error.message}`);
      return;
    }
    throw error;
  }

  const switched = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (release?.status !== 'deploying') return null;
    await lockLane(tx, release.modelId, release.environmentId);
    const replaced = await tx.release.findFirst({
      where: { modelId: release.modelId, environmentId: release.environmentId, status: 'live', slot: 'primary' },
      include: { version: { select: { version: true } } },
    });
    await switchAll(backend, target, version);
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

async function switchAll(backend: DeploymentBackend, target: DeploymentTarget, version: number) {
  await backend.setTraffic(target, { routes: [{ version, percent: 100 }], shadow: null });
}

/**
 * Unloads what a live release replaced. The release is live whatever happens here: a failure
 * is recorded on its timeline and the version stays loaded (it takes no traffic).
 */
async function finishUnloading(releaseId: string, known?: { backend: DeploymentBackend; target: DeploymentTarget }) {
  const release = await db().release.findUnique({
    where: { id: releaseId },
    include: { model: { select: { name: true } }, environment: { select: { name: true } } },
  });
  if (!release || release.status !== 'live') return;
  const progress = readProgress(release.rollout);
  if (progress.phase !== 'unloading' || !progress.unload?.length) return;
  const resolved = known ?? (await resolveEnvironmentBackend(release.environmentId).then((r) => r && { backend: r.backend, target: { environment: release.environment.name, model: release.model.name } }));
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

/** Called by the queue after the last retry: the release is failed and announced as such. */
export async function failRelease(releaseId: string, reason: string): Promise<void> {
  const failed = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (!release || (release.status !== 'approved' && release.status !== 'deploying')) return null;
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
  if (failed) await unloadIfIdle(releaseId);
}

/** A failed release's version may be loaded without traffic: free it unless something else uses it. */
async function unloadIfIdle(releaseId: string) {
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
      status: { in: ['live', 'deploying', 'approved'] },
    },
  });
  if (stillUsed > 0) return;
  try {
    const resolved = await resolveEnvironmentBackend(release.environmentId);
    const target = { environment: release.environment.name, model: release.model.name };
    const status = await resolved?.backend.status(target);
    if (!resolved || !status) return;
    const routed = status.traffic.routes.some((r) => r.version === release.version.version) || status.traffic.shadow?.version === release.version.version;
    if (!routed) await resolved.backend.undeploy(target, release.version.version);
  } catch (error) {
    logger().warn({ err: error, releaseId }, 'could not unload the version of a failed release');
  }
}

/** After a retryable failure: the timeline says what went wrong and that the job tries again. */
export async function recordRetry(releaseId: string, attempt: number, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await recordProgress(releaseId, { attempts: attempt, lastError: message }, `Attempt ${attempt} failed, retrying: ${message}`).catch(() => undefined);
}
