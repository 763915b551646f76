import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { nextAlertStatusOrThrow, type AlertStatus } from './alert-machine';
import { getAlertOrThrow } from './get-alert';
import { notifyChannels } from './notify-channels';

/**
 * A person acknowledges or resolves an alert. The row lock serialises two people clicking
 * at once: the second sees the new status and gets 409 from the state machine.
 */
export async function transitionAlert(ctx: RequestContext, id: string, action: 'acknowledge' | 'resolve', comment?: string) {
  await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ status: AlertStatus }[]>`SELECT status FROM alerts WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound(`Alert ${id} not found.`);
    const from = locked[0]!.status;
    const to = nextAlertStatusOrThrow(from, action);
    const now = ctx.at ?? new Date();
    const alert = await tx.alert.update({
      where: { id },
      data:
        action === 'acknowledge'
          ? { status: to, acknowledgedAt: now, acknowledgedById: ctx.actor.id }
          : { status: to, resolvedAt: now, resolvedById: ctx.actor.id, resolvedReason: 'manual' },
      include: { rule: { include: { model: { select: { name: true } } } } },
    });
    await tx.alertEvent.create({
      data: {
        alertId: id,
        kind: action === 'acknowledge' ? 'acknowledged' : 'resolved',
        at: now,
        actorId: ctx.actor.id,
        comment: comment || null,
        detail: action === 'resolve' ? { how: 'manual', from } : {},
      },
    });
    const environment = await tx.environment.findUniqueOrThrow({ where: { id: alert.environmentId }, select: { name: true } });
    await notifyChannels(tx, {
      alert,
      rule: alert.rule,
      event: action === 'acknowledge' ? 'alert.acknowledged' : 'alert.resolved',
      names: { model: alert.rule.model.name, environment: environment.name },
      ...(comment ? { comment: `${ctx.actor.name}: ${comment}` } : { comment: `${action === 'acknowledge' ? 'Acknowledged' : 'Resolved'} by ${ctx.actor.name}` }),
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: action === 'acknowledge' ? 'alert.acknowledge' : 'alert.resolve',
      targetType: 'alert',
      targetId: id,
      before: { status: from },
      after: { status: to, ...(comment ? { comment } : {}) },
      requestId: ctx.requestId,
    });
  });
  return getAlertOrThrow(id);
}
