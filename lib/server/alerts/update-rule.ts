import 'server-only';
import { db } from '@/lib/db';
import { notFound } from '@/lib/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import type { Signal, UpdateRuleInput } from '@/lib/validation/alerts';
import { getRuleOrThrow } from './get-rule';
import { assertRuleFitsOrThrow } from './validate-rule';

/** Changes a rule, enables/disables it or snoozes it; audited with before and after. */
export async function updateRule(ctx: RequestContext, id: string, input: UpdateRuleInput) {
  await db().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM alert_rules WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound(`Alert rule ${id} not found.`);
    const before = await tx.alertRule.findUniqueOrThrow({ where: { id }, include: { model: true } });
    const channelIds = input.channels ? [...new Set(input.channels)] : before.channelIds;
    const signal = (input.signal ?? before.signal) as Signal;
    await assertRuleFitsOrThrow(tx, { model: before.model, versionId: before.versionId, signal, channelIds });
    const now = ctx.at ?? new Date();
    const data: Prisma.AlertRuleUpdateInput = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.signal !== undefined ? { signal: input.signal } : {}),
      ...(input.comparator !== undefined ? { comparator: input.comparator } : {}),
      ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
      ...(input.windowMinutes !== undefined ? { windowMinutes: input.windowMinutes } : {}),
      ...(input.minSamples !== undefined ? { minSamples: input.minSamples } : {}),
      ...(input.severity !== undefined ? { severity: input.severity } : {}),
      ...(input.actions !== undefined ? { actions: input.actions } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(input.channels !== undefined ? { channelIds } : {}),
      ...(signal.type === 'traffic_drop' ? { comparator: '>=', threshold: signal.percent } : {}),
      ...(input.snoozeMinutes !== undefined
        ? { snoozedUntil: input.snoozeMinutes === 0 ? null : new Date(now.getTime() + input.snoozeMinutes * 60_000) }
        : {}),
    };
    const after = await tx.alertRule.update({ where: { id }, data });
    const snapshot = (rule: typeof after) => ({
      name: rule.name,
      signal: rule.signal,
      comparator: rule.comparator,
      threshold: rule.threshold,
      windowMinutes: rule.windowMinutes,
      minSamples: rule.minSamples,
      severity: rule.severity,
      channels: rule.channelIds,
      actions: rule.actions,
      enabled: rule.enabled,
      snoozedUntil: rule.snoozedUntil?.toISOString() ?? null,
    });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: input.snoozeMinutes !== undefined && Object.keys(input).length === 1 ? 'alert_rule.snooze' : 'alert_rule.update',
      targetType: 'alert_rule',
      targetId: id,
      before: snapshot(before),
      after: snapshot(after),
      requestId: ctx.requestId,
    });
  });
  return getRuleOrThrow(id);
}
