import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { redactUrl } from '@/lib/server/net/outbound-url';

/**
 * Deletes an endpoint and its delivery log (with its secret, nothing of it is kept).
 * Deliveries still queued find no row and are dropped by the worker. The audit entry
 * keeps what the endpoint was.
 */
export async function deleteWebhook(ctx: RequestContext, id: string) {
  return db().$transaction(async (tx) => {
    // deleteMany, not delete: of two concurrent deletions one removes the row, the other gets 404.
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id } });
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id } });
    if (!endpoint || count === 0) throw notFound(`Webhook ${id} not found.`);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'webhook.delete',
      targetType: 'webhook',
      targetId: id,
      before: { url: redactUrl(endpoint.url), events: endpoint.events, description: endpoint.description },
      requestId: ctx.requestId,
    });
    return endpoint;
  });
}
