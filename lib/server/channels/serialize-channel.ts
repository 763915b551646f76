import 'server-only';
import type { AlertChannel, AlertNotification } from '@/lib/generated/prisma/client';
import { CHANNEL_KIND_REGISTRY } from './kinds';

/** Never includes the sealed secret. */
export function serializeChannel(channel: AlertChannel) {
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind as 'webhook' | 'slack' | 'email',
    target: CHANNEL_KIND_REGISTRY[channel.kind]?.describeTarget(channel) ?? '',
    createdAt: channel.createdAt.toISOString(),
  };
}

export function serializeNotification(notification: AlertNotification & { channel: { name: string } }) {
  return {
    id: notification.id,
    channelId: notification.channelId,
    channelName: notification.channel.name,
    alertId: notification.alertId,
    event: notification.event,
    status: notification.status as 'pending' | 'delivered' | 'failed',
    attempts: notification.attempts,
    lastError: notification.lastError,
    createdAt: notification.createdAt.toISOString(),
    lastAttemptAt: notification.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: notification.deliveredAt?.toISOString() ?? null,
  };
}
