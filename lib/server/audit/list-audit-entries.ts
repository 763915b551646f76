import 'server-only';
import { db } from '@/lib/db';
import type { Prisma, AuditEntry } from '@/lib/generated/prisma/client';
import { badRequest } from '@/lib/errors';
import type { AuditFilter, AuditQuery } from '@/lib/validation/audit';

export function auditWhere(filter: AuditFilter): Prisma.AuditEntryWhereInput {
  const where: Prisma.AuditEntryWhereInput = {};
  if (filter.actor) where.actorEmail = { equals: filter.actor, mode: 'insensitive' };
  if (filter.action) {
    where.action = filter.action.endsWith('.') ? { startsWith: filter.action } : filter.action;
  }
  if (filter.targetType) where.targetType = filter.targetType;
  if (filter.targetId) where.targetId = filter.targetId;
  if (filter.from || filter.to) {
    where.at = {
      ...(filter.from ? { gte: new Date(filter.from) } : {}),
      ...(filter.to ? { lt: new Date(filter.to) } : {}),
    };
  }
  return where;
}

/** Newest first; the cursor is the seq of the last entry of the previous page. */
export async function listAuditEntries(query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const before = parseCursor(query.cursor);
  const items = await db().auditEntry.findMany({
    where: { ...auditWhere(query), ...(before ? { seq: { lt: before } } : {}) },
    orderBy: { seq: 'desc' },
    take: query.limit + 1,
  });
  const hasMore = items.length > query.limit;
  const page = hasMore ? items.slice(0, query.limit) : items;
  return { items: page, nextCursor: hasMore ? (page.at(-1)?.seq.toString() ?? null) : null };
}

const MAX_SEQ = 9_223_372_036_854_775_807n;

function parseCursor(cursor: string | undefined): bigint | undefined {
  if (!cursor) return undefined;
  // 19 digits can still exceed bigint (seq's type): PostgreSQL would refuse the query with a 500.
  if (!/^\d{1,19}$/.test(cursor) || BigInt(cursor) > MAX_SEQ) throw badRequest('cursor must be a value returned as nextCursor.', 'invalid_cursor');
  return BigInt(cursor);
}

export function serializeAuditEntry(entry: AuditEntry) {
  return {
    ...entry,
    seq: entry.seq.toString(),
    at: entry.at.toISOString(),
  };
}
