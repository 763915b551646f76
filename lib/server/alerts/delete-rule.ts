import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { getRuleOrThrow } from './get-rule';
import { serializeRule } from './serialize-rule';

/** Deletes a rule with its alerts and their timelines (the audit log keeps the record). */
export async function deleteRule(ctx: RequestContext, id: string) {
  const shown = serializeRule(await getRuleOrThrow(id));
  await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_rules WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound(`Alert rule ${id} not found.`);
    await tx.alertRule.delete({ where: { id } });
    await recordAudit(tx, { actor: ctx.actor, action: 'alert_rule.delete', targetType: 'alert_rule', targetId: id, before: shown, requestId: ctx.requestId });
  });
  return shown;
}
