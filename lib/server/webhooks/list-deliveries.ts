import 'server-only';
import { db } from '@/lib/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { badRequest, notFound } from '@/lib/errors';
import type { ListDeliveriesQuery } from '@/lib/validation/webhooks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One endpoint's delivery log, newest first; keyset cursor "<createdAt ISO>|<id>". */
export async function listDeliveries(endpointId: string, query: ListDeliveriesQuery) {
  const endpoint = await db().webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true } });
  if (!endpoint) throw notFound(`Webhook ${endpointId} not found.`);
  const where: Prisma.WebhookDeliveryWhereInput = { endpointId };
  if (query.status) where.status = query.status;
  if (query.cursor) {
    const [at, id] = query.cursor.split('|');
    const when = new Date(at ?? '');
    // The id is compared with a uuid column: anything else would be a database error (500).
    if (!id || !UUID.test(id) || Number.isNaN(when.getTime())) {
      throw badRequest('cursor must be a value returned as nextCursor.', 'invalid_cursor');
    }
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
