import 'server-only';
import { db } from '@/lib/db';
import { deployThroughCallback } from '@/lib/server/deployments/deploy-through-callback';
import { resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { recordProgress } from '@/lib/server/deployments/rollout-progress';
import { finishAborting, finishUnloading } from './finish-rollout';
import { goLive } from './go-live';
import { lockRelease, transitionRelease } from './release-machine';
import { replaceRollout, type RolloutContext } from './replace-rollout';
import { runCanary } from './run-canary';
import { runShadow } from './run-shadow';

export { failRelease, recordRetry } from './finish-rollout';

/**
 * The release-deploy job: approved → deploying → live. Idempotent: a retried job (or one
 * run again after kill -9) picks up where the last attempt stopped, and a release that was
 * cancelled in the meantime is left alone. Environments without a deployment backend are
 * registry aliases, so going live is the bookkeeping alone.
 *
 * With a backend the strategy decides: a replace is blue/green (replace-rollout.ts); a canary moves
 * traffic step by step with an analysis between steps (run-canary.ts); a shadow mirrors a
 * share of requests until promoted or stopped (run-shadow.ts). An aborted canary or ended
 * shadow gets its traffic back on the primary here. `due` is set on a canary's delayed
 * step job; `at` backdates going live (the demo seed's history only).
 */
export async function deployRelease(releaseId: string, options: { at?: Date; due?: string } = {}): Promise<void> {
  const started = await db().$transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (release?.status === 'approved') return transitionRelease(tx, release, 'deploying');
    return release;
  });
  if (!started) return;
  if (started.status === 'live') return finishUnloading(releaseId);
  if (started.status === 'aborted' || started.status === 'superseded') return finishAborting(releaseId);
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
  const rollout: RolloutContext = {
    releaseId,
    release: details,
    backend,
    backendType: row.type,
    thresholds: {
      intervalSeconds: details.intervalSeconds ?? row.canaryIntervalSeconds,
      maxErrorRateIncrease: row.canaryMaxErrorRateIncrease,
      maxLatencyRatio: row.canaryMaxLatencyRatio,
      minRequests: row.canaryMinRequests,
    },
    target: { environment: details.environment.name, model: details.model.name },
    version: details.version.version,
    modelTask: details.model.task,
  };
  if (backend.asynchronous) {
    // Asynchronous backends (webhook) report the outcome by callback: a separate path, see its file.
    await recordProgress(releaseId, { backend: row.type, endpoint: backend.endpoint(rollout.target) });
    return deployThroughCallback(details, backend, backend.asynchronous, row.type, rollout.target);
  }
  if (details.strategy === 'canary') return runCanary(rollout, options.due);
  if (details.strategy === 'shadow') return runShadow(rollout);
  return replaceRollout(rollout);
}
