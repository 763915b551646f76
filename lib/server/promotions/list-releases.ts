import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { parseTimeIdCursor } from '@/lib/validation/common';
import type { ListReleasesQuery } from '@/lib/validation/registry';
import { serializeRelease } from './serialize-release';

const INCLUDE = {
  model: { select: { name: true } },
  version: { select: { version: true, metrics: true } },
  environment: { select: { name: true, requiredApprovals: true } },
  approvals: { select: { decision: true, reviewerId: true } },
} as const;

/** Newest requests first; keyset cursor "<requestedAt ISO>|<id>". */
export async function listReleases(query: ListReleasesQuery) {
  const where: Prisma.ReleaseWhereInput = {};
  if (query.status) where.status = query.status;
  if (query.model) where.model = { name: query.model };
  if (query.environment) where.environment = { name: query.environment };
  if (query.cursor) {
    const { at: when, id } = parseTimeIdCursor(query.cursor);
    where.OR = [{ requestedAt: { lt: when } }, { requestedAt: when, id: { lt: id } }];
  }
  const rows = await db().release.findMany({
    where,
    orderBy: [{ requestedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
    include: INCLUDE,
  });
  const page = rows.slice(0, query.limit);
  const requesters = await db().user.findMany({
    where: { id: { in: [...new Set(page.map((r) => r.requestedById))] } },
    select: { id: true, email: true },
  });
  const emails = new Map(requesters.map((u) => [u.id, u.email]));
  const last = page.at(-1);
  return {
    items: page.map((r) => serializeRelease(r, emails.get(r.requestedById) ?? null)),
    nextCursor: rows.length > query.limit && last ? `${last.requestedAt.toISOString()}|${last.id}` : null,
  };
}
