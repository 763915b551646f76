import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { parseTimeIdCursor } from '@/lib/validation/common';
import type { ListAlertsQuery } from '@/lib/validation/alerts';
import { serializeAlert } from './serialize-alert';

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/**
 * Alerts newest first, keyset-paged ("<firedAt ISO>|<id>"). Without a status filter every
 * alert is listed; `open` is firing or acknowledged.
 */
export async function listAlerts(query: ListAlertsQuery) {
  const where: Prisma.AlertWhereInput = {};
  if (query.status === 'open') where.status = { in: ['firing', 'acknowledged'] };
  else if (query.status) where.status = query.status;
  if (query.severity) where.severity = query.severity;
  if (query.model) where.rule = { model: { name: query.model } };
  if (query.cursor) {
    const { at, id } = parseTimeIdCursor(query.cursor);
    where.OR = [{ firedAt: { lt: at } }, { firedAt: at, id: { lt: id } }];
  }
  const rows = await db().alert.findMany({
    where,
    include: { rule: { include: { model: { select: { name: true } } } } },
    orderBy: [{ firedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const environments = await db().environment.findMany({
    where: { id: { in: [...new Set(page.map((a) => a.environmentId))] } },
    select: { id: true, name: true },
  });
  const items = page.map((alert) => serializeAlert(alert, environments.find((e) => e.id === alert.environmentId)?.name ?? ''));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? `${last.firedAt.toISOString()}|${last.id}` : null };
}

/** Open alerts for the Alerts page: critical first, then the oldest first (longest unattended). */
export function sortOpenFirst<T extends { status: string; severity: string; firedAt: string }>(items: T[]): T[] {
  const open = (item: T) => (item.status === 'resolved' ? 1 : 0);
  return [...items].sort(
    (a, b) =>
      open(a) - open(b) ||
      (SEVERITY_RANK[a.severity as keyof typeof SEVERITY_RANK] ?? 3) - (SEVERITY_RANK[b.severity as keyof typeof SEVERITY_RANK] ?? 3) ||
      (open(a) === 0 ? a.firedAt.localeCompare(b.firedAt) : b.firedAt.localeCompare(a.firedAt)),
  );
}

export async function countOpenAlerts(): Promise<number> {
  return db().alert.count({ where: { status: { in: ['firing', 'acknowledged'] } } });
}
