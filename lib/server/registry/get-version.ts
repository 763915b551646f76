import 'server-only';
import { db } from '@/lib/db';
import { findVersionOrThrow } from './find-model';
import { serializeVersion } from './serialize';

/** A version with its lineage and every environment where it has been live. */
export async function getVersion(model: string, version: number) {
  const found = await findVersionOrThrow(model, version);
  const [parent, releases] = await Promise.all([
    found.parentVersionId ? db().modelVersion.findUnique({ where: { id: found.parentVersionId }, select: { version: true } }) : null,
    db().release.findMany({
      where: { versionId: found.id, liveAt: { not: null } },
      orderBy: { liveAt: 'desc' },
      include: { environment: { select: { name: true } } },
    }),
  ]);
  return {
    ...serializeVersion(found, parent?.version ?? null),
    liveHistory: releases.map((r) => ({
      environment: r.environment.name,
      releaseId: r.id,
      status: r.status,
      liveAt: r.liveAt!.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
    })),
  };
}
