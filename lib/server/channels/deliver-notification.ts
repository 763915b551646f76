import 'server-only';
import { db } from '@/lib/db';
import { openChannelSecret } from './channel-secret';
import { CHANNEL_KIND_REGISTRY } from './kinds';
import type { AlertMessage } from './kinds/types';

/**
 * The `alert-notify` job: sends one notification, records the attempt on its row (and, for an
 * alert, on the alert's timeline when it finally fails), and throws on failure so the queue
 * retries with backoff. `final` marks the last attempt.
 */
export async function deliverNotification(notificationId: string, options: { final: boolean }): Promise<void> {
  const notification = await db().alertNotification.findUnique({ where: { id: notificationId }, include: { channel: true } });
  if (!notification || notification.status === 'delivered') return;
  const kind = CHANNEL_KIND_REGISTRY[notification.channel.kind];
  let error: string | null = null;
  try {
    if (!kind) throw new Error(`Unknown channel kind ${notification.channel.kind}.`);
    const secret = openChannelSecret(notification.channelId, notification.channel.sealedSecret);
    await kind.send(notification.channel, secret, notification.payload as unknown as AlertMessage);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const now = new Date();
  const failed = error !== null && options.final;
  await db().$transaction(async (tx) => {
    await tx.alertNotification.update({
      where: { id: notificationId },
      data: {
        attempts: { increment: 1 },
        lastAttemptAt: now,
        lastError: error,
        ...(error ? (failed ? { status: 'failed' } : {}) : { status: 'delivered', deliveredAt: now }),
      },
    });
    if (notification.alertId && (error === null || failed)) {
      await tx.alertEvent.create({
        data: {
          alertId: notification.alertId,
          kind: error ? 'notification_failed' : 'notified',
          at: now,
          detail: { channel: notification.channel.name, kind: notification.channel.kind, event: notification.event, attempts: notification.attempts + 1, ...(error ? { error } : {}) },
        },
      });
    }
  });
  if (error) throw new Error(`Alert notification ${notificationId} via ${notification.channel.name} failed: ${error}`);
}
