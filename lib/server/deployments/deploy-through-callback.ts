import 'server-only';
import { db } from '@/lib/db';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { failRelease } from '@/lib/server/promotions/deploy-release';
import { lockRelease } from '@/lib/server/promotions/release-machine';
import { artifactSourceFor } from './artifact-source';
import { BackendError, type DeploymentBackend, type DeploymentTarget } from './backends/types';
import { readProgress, recordProgress } from './rollout-progress';

interface Details {
  id: string;
  strategy: string;
  steps: number[];
  model: Parameters<typeof artifactSourceFor>[0];
  version: Parameters<typeof artifactSourceFor>[1] & { version: number };
}

/**
 * The release-deploy job's branch for asynchronous backends (`backend.asynchronous`, e.g.
 * webhook): hand the deployment request over, then wait for the signed callback instead of
 * switching traffic here. The release stays `deploying`; the callback makes it live or failed
 * through the state machine (receive-release-callback.ts), and a delayed job enqueued in the
 * same transaction as the "awaiting" step fails it when no callback comes in time.
 * Idempotent: a rerun (retry, resume after a restart) that finds the request accepted does nothing.
 */
export async function deployThroughCallback(
  details: Details,
  backend: DeploymentBackend,
  asynchronous: NonNullable<DeploymentBackend['asynchronous']>,
  backendType: string,
  target: DeploymentTarget,
): Promise<void> {
  const current = await db().release.findUnique({ where: { id: details.id }, select: { status: true, rollout: true } });
  if (current?.status !== 'deploying' || readProgress(current.rollout).phase === 'awaiting_callback') return;

  const version = details.version.version;
  const timeoutSeconds = asynchronous.callbackTimeoutSeconds;
  await recordProgress(details.id, { phase: 'loading' }, `Sending the deployment request for v${version} to the ${backendType} backend`);
  try {
    await backend.deploy(target, version, artifactSourceFor(details.model, details.version), {
      releaseId: details.id,
      strategy: { type: details.strategy, steps: details.steps },
      traffic: [{ version, percent: 100 }],
    });
  } catch (error) {
    if (error instanceof BackendError && !error.retryable) {
      await failRelease(details.id, `The ${backendType} backend refused the deployment request: ${error.message}`);
      return;
    }
    throw error;
  }

  await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, details.id);
    if (release?.status !== 'deploying') return;
    const deadline = new Date(Date.now() + timeoutSeconds * 1000).toISOString();
    await recordProgress(
      details.id,
      { phase: 'awaiting_callback', callbackDeadline: deadline, lastError: null },
      `The ${backendType} backend accepted the deployment request; waiting for its callback (at most ${timeoutSeconds} s)`,
      tx,
    );
    await enqueue(tx, QUEUES.releaseCallbackTimeout, { releaseId: details.id }, { startAfterSeconds: timeoutSeconds, singletonKey: details.id });
  });
}

/** The delayed job: a release still waiting for its callback at the deadline fails with that reason. */
export async function expireReleaseCallback(releaseId: string, now = new Date()): Promise<void> {
  const release = await db().release.findUnique({ where: { id: releaseId }, select: { status: true, rollout: true } });
  if (release?.status !== 'deploying') return;
  const progress = readProgress(release.rollout);
  if (progress.phase !== 'awaiting_callback' || !progress.callbackDeadline) return;
  const deadline = new Date(progress.callbackDeadline);
  // Started early (a clock step, a requeue): come back at the deadline.
  if (deadline > now) throw new Error(`The callback deadline of release ${releaseId} is ${deadline.toISOString()}; not yet.`);
  await failRelease(releaseId, `No callback from the ${progress.backend ?? 'deployment'} backend within the configured timeout (deadline ${progress.callbackDeadline}).`);
}
