import 'server-only';
import { db } from '@/lib/db';
import { readProgress, trafficSplit } from '@/lib/server/deployments/rollout-progress';
import { resolveEnvironmentBackend } from '@/lib/server/deployments/environment-backend';
import { findEnvironmentOrThrow, findModelOrThrow } from '@/lib/server/registry/find-model';

/**
 * What is live for a model in one environment: `{ liveVersion, since, release }` (nulls when
 * nothing is), and with a deployment backend the endpoint that answers and the traffic split
 * as committed by the last switch (read from the database, not asked of the backend, so
 * this read works while the backend is down).
 */
export async function getEnvironmentState(modelName: string, environmentName: string) {
  const [model, environment] = await Promise.all([findModelOrThrow(modelName), findEnvironmentOrThrow(environmentName)]);
  const [live, rollingOut, resolved] = await Promise.all([
    db().release.findFirst({
      where: { modelId: model.id, environmentId: environment.id, status: 'live', slot: 'primary' },
      include: { version: { select: { version: true } } },
    }),
    db().release.findFirst({
      where: { modelId: model.id, environmentId: environment.id, status: { in: ['deploying', 'paused'] } },
      orderBy: { approvedAt: 'asc' },
      include: { version: { select: { version: true } } },
    }),
    resolveEnvironmentBackend(environment.id).catch(() => null),
  ]);
  const backendRow = resolved?.row ?? (await db().environmentBackend.findUnique({ where: { environmentId: environment.id } }));
  return {
    model: model.name,
    environment: environment.name,
    liveVersion: live?.version.version ?? null,
    since: live?.liveAt?.toISOString() ?? null,
    release: live ? { id: live.id, strategy: live.strategy, isRollback: live.isRollback } : null,
    backend: backendRow?.type ?? null,
    endpoint: resolved ? resolved.backend.endpoint({ environment: environment.name, model: model.name }) : null,
    traffic: backendRow && live ? trafficSplit(live.version.version, rollingOut) : [],
    rollingOut: rollingOut
      ? {
          releaseId: rollingOut.id,
          version: rollingOut.version.version,
          phase: readProgress(rollingOut.rollout).phase ?? null,
          isRollback: rollingOut.isRollback,
          strategy: rollingOut.strategy,
          status: rollingOut.status,
        }
      : null,
  };
}
