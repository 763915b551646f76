import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { notFound } from '@/lib/errors';
import { parseTimeIdCursor } from '@/lib/validation/common';
import type { ListDeliveriesQuery } from '@/lib/validation/webhooks';

/** One endpoint's delivery log, newest first; keyset cursor "<createdAt ISO>|<id>". */
export async function listDeliveries(endpointId: string, query: ListDeliveriesQuery) {
  const endpoint = await db().webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true } });
  if (!endpoint) throw notFound(`Webhook ${endpointId} not found.`);
  const where: Prisma.WebhookDeliveryWhereInput = { endpointId };
  if (query.status) where.status = query.status;
  if (query.cursor) {
    const { at: when, id } = parseTimeIdCursor(query.cursor);
    where.OR = [{ createdAt: { lt: when } }, { createdAt: when, id: { lt: id } }];
  }
  const rows = await db().webhookDelivery.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null };
}
