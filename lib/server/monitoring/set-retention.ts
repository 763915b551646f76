import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import type { RetentionInput } from '@/lib/validation/monitoring';
import { describeRetention } from './get-retention';

/**
 * Sets how many days of a model's monitoring data are kept (`PUT …/retention`). Every model
 * has its own day tables, so the retention job drops exactly this model's tables past the new
 * limit, plus its id, label and rollup rows by time range. A shorter retention is applied
 * right away: the maintenance job is queued with the change (outbox), not left for the hour.
 * The row lock orders concurrent changes, so the audit's before/after chain stays true.
 */
export async function setRetention(ctx: RequestContext, modelName: string, input: RetentionInput) {
  const model = await db().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string; monitoringRetentionDays: number }[]>`
      SELECT id, "monitoringRetentionDays" FROM models WHERE name = ${modelName} FOR UPDATE`;
    if (!locked) throw notFound(`No model named "${modelName}".`);
    if (locked.monitoringRetentionDays === input.days) return { name: modelName, retentionDays: input.days };
    await tx.model.update({ where: { id: locked.id }, data: { monitoringRetentionDays: input.days } });
    if (input.days < locked.monitoringRetentionDays) await enqueue(tx, QUEUES.monitoringMaintenance, {});
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'model.retention',
      targetType: 'model',
      targetId: modelName,
      before: { monitoringRetentionDays: locked.monitoringRetentionDays },
      after: { monitoringRetentionDays: input.days },
      requestId: ctx.requestId,
      ...(ctx.at ? { at: ctx.at } : {}),
    });
    return { name: modelName, retentionDays: input.days };
  });
  return describeRetention(model);
}
