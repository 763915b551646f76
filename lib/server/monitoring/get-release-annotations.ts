import 'server-only';
import { db } from '@/lib/db';
import type { AnnotationsQuery } from '@/lib/validation/monitoring';
import { findEnvironmentIdOrThrow, findModelTargetOrThrow } from './load-target';
import { DAY_MS } from './read-rollups';

/**
 * The releases that went live in an environment within a window: the vertical lines every
 * time chart of the Monitoring tab draws, labelled with the version.
 */
export async function getReleaseAnnotations(modelName: string, query: AnnotationsQuery) {
  const model = await findModelTargetOrThrow(modelName);
  const environmentId = await findEnvironmentIdOrThrow(query.environment);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY_MS);
  const releases = await db().release.findMany({
    where: { modelId: model.id, environmentId, liveAt: { gte: from, lt: to } },
    select: { id: true, strategy: true, liveAt: true, endedAt: true, version: { select: { version: true } } },
    orderBy: { liveAt: 'asc' },
  });
  return {
    model: model.name,
    environment: query.environment,
    from: from.toISOString(),
    to: to.toISOString(),
    releases: releases.map((r) => ({
      id: r.id,
      version: r.version.version,
      strategy: r.strategy,
      at: r.liveAt!.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
    })),
  };
}
