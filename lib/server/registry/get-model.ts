import 'server-only';
import { db } from '@/lib/db';
import { findModelOrThrow } from './find-model';
import { liveByModel } from './live-releases';
import { serializeModel } from './serialize';

/** A model with its environment lanes (every environment not archived, live or not), versions and release history. */
export async function getModel(name: string, options: { versionLimit?: number; historyLimit?: number } = {}) {
  const model = await findModelOrThrow(name);
  const [environments, live, versions, history] = await Promise.all([
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
  ]);
  const liveEntries = live.get(model.id) ?? [];
  const open = history.filter((r) => ['pending_approval', 'approved', 'deploying'].includes(r.status));
  return {
    ...serializeModel(model),
    environments: environments.map((env) => {
      const primary = liveEntries.find((e) => e.environment === env.name && e.slot === 'primary') ?? null;
      const secondary = liveEntries.find((e) => e.environment === env.name && e.slot === 'secondary') ?? null;
      const pending = open.find((r) => r.environment.name === env.name);
      return {
        environment: env.name,
        liveVersion: primary?.version ?? null,
        since: primary?.since ?? null,
        releaseId: primary?.releaseId ?? null,
        secondary,
        pending: pending ? { id: pending.id, version: pending.version.version, status: pending.status } : null,
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
