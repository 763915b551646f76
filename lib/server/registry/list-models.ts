import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ListModelsQuery } from '@/lib/validation/registry';
import { liveByModel } from './live-releases';
import { serializeModel } from './serialize';

/** Models by name, filtered; each with what is live in which environment. Keyset-paged by name. */
export async function listModels(query: ListModelsQuery) {
  const where: Prisma.ModelWhereInput = {};
  if (query.q) {
    where.OR = [
      { name: { contains: query.q, mode: 'insensitive' } },
      { description: { contains: query.q, mode: 'insensitive' } },
    ];
  }
  if (query.tag) where.tags = { has: query.tag };
  if (query.team) where.team = query.team;
  if (query.task) where.task = query.task;
  if (query.cursor) where.name = { gt: query.cursor };
  const models = await db().model.findMany({
    where,
    orderBy: { name: 'asc' },
    take: query.limit + 1,
    include: { _count: { select: { versions: true } } },
  });
  const page = models.slice(0, query.limit);
  const live = await liveByModel(page.map((m) => m.id));
  return {
    items: page.map((m) => ({ ...serializeModel(m), versionCount: m._count.versions, live: live.get(m.id) ?? [] })),
    nextCursor: models.length > query.limit ? (page.at(-1)?.name ?? null) : null,
  };
}

/** Distinct teams and tags, for the filter controls. */
export async function modelFacets() {
  const [teams, tags] = await Promise.all([
    db().model.findMany({ where: { team: { not: null } }, distinct: ['team'], select: { team: true }, orderBy: { team: 'asc' } }),
    db().$queryRaw<{ tag: string }[]>`SELECT DISTINCT unnest(tags) AS tag FROM models ORDER BY tag`,
  ]);
  return { teams: teams.map((t) => t.team!).filter(Boolean), tags: tags.map((t) => t.tag) };
}
