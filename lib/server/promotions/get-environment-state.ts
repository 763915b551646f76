import 'server-only';
import { db } from '@/lib/db';
import { findEnvironmentOrThrow, findModelOrThrow } from '@/lib/server/registry/find-model';

/** What is live for a model in one environment: `{ liveVersion, since, release }` (nulls when nothing is). */
export async function getEnvironmentState(modelName: string, environmentName: string) {
  const [model, environment] = await Promise.all([findModelOrThrow(modelName), findEnvironmentOrThrow(environmentName)]);
  const live = await db().release.findFirst({
    where: { modelId: model.id, environmentId: environment.id, status: 'live', slot: 'primary' },
    include: { version: { select: { version: true } } },
  });
  return {
    model: model.name,
    environment: environment.name,
    liveVersion: live?.version.version ?? null,
    since: live?.liveAt?.toISOString() ?? null,
    release: live ? { id: live.id, strategy: live.strategy, isRollback: live.isRollback } : null,
  };
}
