import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import { alertUrl } from '@/lib/server/alerts/alert-url';
import type { AlertMessage } from './kinds/types';

/** Queues a sample message through the same delivery path as real alerts. */
export async function sendTestMessage(ctx: RequestContext, channelId: string) {
  return db().$transaction(async (tx) => {
    const channel = await tx.alertChannel.findUnique({ where: { id: channelId } });
    if (!channel) throw notFound(`Channel ${channelId} not found.`);
    const id = randomUUID();
    const message: AlertMessage = {
      id,
      event: 'channel.test',
      occurredAt: new Date().toISOString(),
      alert: {
        id: null,
        url: alertUrl(null),
        rule: 'Test message',
        model: 'example-model',
        environment: 'production',
        severity: 'info',
        status: 'firing',
        signal: 'error rate',
        value: 0.12,
        comparator: '>',
        threshold: 0.05,
        samples: 1200,
        comment: `Sent by ${ctx.actor.name} to check this channel.`,
      },
    };
    const notification = await tx.alertNotification.create({
      data: { id, channelId, event: 'channel.test', payload: JSON.parse(JSON.stringify(message)) },
      include: { channel: { select: { name: true } } },
    });
    await enqueue(tx, QUEUES.deliverAlertNotification, { notificationId: id });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'channel.test',
      targetType: 'alert_channel',
      targetId: channelId,
      requestId: ctx.requestId,
    });
    return notification;
  });
}
