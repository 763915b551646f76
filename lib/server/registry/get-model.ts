import 'server-only';
import { db } from '@/lib/db';
import type { ReleaseStatus } from '@/lib/generated/prisma/client';
import { readProgress, trafficSplit } from '@/lib/server/deployments/rollout-progress';
import { findModelOrThrow } from './find-model';
import { liveByModel } from './live-releases';
import { serializeModel } from './serialize';

const OPEN: ReleaseStatus[] = ['pending_approval', 'approved', 'deploying', 'paused'];

/**
 * A model with its environment lanes (every environment not archived, live or not; what a
 * rollback would restore), versions (where each is live or requested) and release history.
 */
export async function getModel(name: string, options: { versionLimit?: number; historyLimit?: number } = {}) {
  const model = await findModelOrThrow(name);
  const [environments, live, versions, history, open, liveRows] = await Promise.all([
    // Archived environments are neither lanes nor promotion targets; their releases stay in the history.
    db().environment.findMany({ where: { archivedAt: null }, orderBy: { position: 'asc' } }),
    liveByModel([model.id]),
    db().modelVersion.findMany({
      where: { modelId: model.id },
      orderBy: { version: 'desc' },
      take: options.versionLimit ?? 100,
      include: { parent: { select: { version: true } } },
    }),
    db().release.findMany({
      where: { modelId: model.id },
      orderBy: { requestedAt: 'desc' },
      take: options.historyLimit ?? 50,
      include: { environment: { select: { name: true } }, version: { select: { version: true } } },
    }),
    db().release.findMany({
      where: { modelId: model.id, status: { in: OPEN } },
      orderBy: { requestedAt: 'desc' },
      include: { environment: { select: { name: true } }, version: { select: { version: true } } },
    }),
    db().release.findMany({ where: { modelId: model.id, status: 'live', slot: 'primary' }, select: { id: true, replacedId: true } }),
  ]);
  const liveEntries = live.get(model.id) ?? [];
  // What a rollback would restore: the release each live one replaced (as rollback-environment.ts finds it).
  const replacedIds = liveRows.flatMap((r) => (r.replacedId ? [r.replacedId] : []));
  const replaced = replacedIds.length
    ? await db().release.findMany({ where: { id: { in: replacedIds } }, select: { id: true, version: { select: { version: true, status: true } } } })
    : [];
  const rollbackTarget = (releaseId: string | null) => {
    const replacedId = liveRows.find((r) => r.id === releaseId)?.replacedId;
    const previous = replaced.find((r) => r.id === replacedId);
    return previous && previous.version.status !== 'archived' ? previous.version.version : null;
  };
  return {
    ...serializeModel(model),
    environments: environments.map((env) => {
      const primary = liveEntries.find((e) => e.environment === env.name && e.slot === 'primary') ?? null;
      const secondary = liveEntries.find((e) => e.environment === env.name && e.slot === 'secondary') ?? null;
      const pending = open.find((r) => r.environment.name === env.name);
      const rollingOut = open.find((r) => r.environment.name === env.name && (r.status === 'deploying' || r.status === 'paused')) ?? null;
      const progress = rollingOut ? readProgress(rollingOut.rollout) : null;
      return {
        environment: env.name,
        liveVersion: primary?.version ?? null,
        since: primary?.since ?? null,
        releaseId: primary?.releaseId ?? null,
        rollbackTo: rollbackTarget(primary?.releaseId ?? null),
        secondary,
        pending: pending ? { id: pending.id, version: pending.version.version, status: pending.status } : null,
        traffic: primary ? trafficSplit(primary.version, rollingOut) : [],
        mirror: rollingOut && progress?.phase === 'shadow' && progress.shadow ? { version: rollingOut.version.version, percent: progress.shadow.percent } : null,
      };
    }),
    versions: versions.map((v) => ({
      version: v.version,
      status: v.status,
      format: v.format,
      metrics: v.metrics as Record<string, number>,
      parentVersion: v.parent?.version ?? null,
      createdAt: v.createdAt.toISOString(),
      live: liveEntries.filter((e) => e.version === v.version).map((e) => e.environment),
      requested: open.filter((r) => r.version.version === v.version).map((r) => r.environment.name),
    })),
    history: history.map((r) => ({
      id: r.id,
      environment: r.environment.name,
      version: r.version.version,
      status: r.status,
      strategy: r.strategy,
      isRollback: r.isRollback,
      requestedAt: r.requestedAt.toISOString(),
      liveAt: r.liveAt?.toISOString() ?? null,
      endedAt: r.endedAt?.toISOString() ?? null,
    })),
  };
}
