import 'server-only';
import type { Tx } from '@/lib/db';
import type { Alert, AlertRule } from '@/lib/generated/prisma/client';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import type { AlertMessage } from '@/lib/server/channels/kinds/types';
import type { Signal } from '@/lib/validation/alerts';
import { alertUrl } from './alert-url';
import { describeSignal } from './describe-signal';

export type AlertEventName = 'alert.firing' | 'alert.acknowledged' | 'alert.resolved';

/**
 * Outbox: one notification row per channel of the rule plus its job, in the caller's
 * transaction. The (alert, channel, event) key makes a repeated call — a re-run after a
 * crash — add nothing.
 */
export async function notifyChannels(
  tx: Tx,
  options: { alert: Alert; rule: AlertRule; event: AlertEventName; names: { model: string; environment: string }; comment?: string },
): Promise<void> {
  const { alert, rule, event } = options;
  if (rule.channelIds.length === 0) return;
  const channels = await tx.alertChannel.findMany({ where: { id: { in: rule.channelIds } }, select: { id: true } });
  const base = {
    event,
    occurredAt: new Date().toISOString(),
    alert: {
      id: alert.id,
      url: alertUrl(alert.id),
      rule: rule.name,
      model: options.names.model,
      environment: options.names.environment,
      severity: alert.severity,
      status: alert.status,
      signal: describeSignal(rule.signal as Signal),
      value: alert.value,
      comparator: rule.comparator,
      threshold: alert.threshold,
      samples: alert.samples,
      ...(options.comment ? { comment: options.comment } : {}),
    },
  };
  const created = await tx.alertNotification.createManyAndReturn({
    data: channels.map((channel) => ({ alertId: alert.id, channelId: channel.id, event, payload: {} })),
    skipDuplicates: true,
    select: { id: true },
  });
  for (const { id } of created) {
    const message: AlertMessage = { id, ...base };
    await tx.alertNotification.update({ where: { id }, data: { payload: JSON.parse(JSON.stringify(message)) } });
    await enqueue(tx, QUEUES.deliverAlertNotification, { notificationId: id });
  }
}
