import 'server-only';
import { db } from '@/lib/db';
import { unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { checkOutboundUrl } from '@/lib/server/net/outbound-request';
import { outboundPolicy } from '@/lib/server/net/outbound-url';
import type { CreateWebhookInput } from '@/lib/validation/webhooks';
import { WEBHOOK_EVENTS } from './events';
import { newWebhookSecret } from './webhook-secret';

/**
 * Subscribes a URL to events. The signing secret is generated here and returned once:
 * it is stored (deliveries are signed with it) but never shown or audited again.
 */
export async function createWebhook(ctx: RequestContext, input: CreateWebhookInput) {
  // The addresses a name resolves to are checked again at every delivery (DNS can change).
  const problem = await checkOutboundUrl(input.url, outboundPolicy());
  if (problem) throw unprocessable(`Invalid url: ${problem}`, { url: [problem] });
  const secret = newWebhookSecret();
  // Catalogue order, without duplicates, so the list reads the same however it was posted.
  const events = WEBHOOK_EVENTS.filter((event) => input.events.includes(event));
  const webhook = await db().$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: { url: input.url, events, description: input.description ?? '', secret },
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'webhook.create',
      targetType: 'webhook',
      targetId: created.id,
      after: { url: created.url, events: created.events, description: created.description },
      requestId: ctx.requestId,
    });
    return created;
  });
  return { webhook, secret };
}
