import 'server-only';
import { db } from '@/lib/db';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import type { CreateRuleInput } from '@/lib/validation/alerts';
import { getRuleOrThrow } from './get-rule';
import { assertRuleFitsOrThrow, resolveRuleTargetOrThrow } from './validate-rule';

/** Creates a rule and queues its first evaluation (in the same transaction). */
export async function createRule(ctx: RequestContext, input: CreateRuleInput) {
  const id = await db().$transaction(async (tx) => {
    const { model, environment, versionId } = await resolveRuleTargetOrThrow(tx, input);
    const channelIds = [...new Set(input.channels)];
    await assertRuleFitsOrThrow(tx, { model, versionId, signal: input.signal, channelIds });
    const rule = await tx.alertRule.create({
      data: {
        name: input.name,
        modelId: model.id,
        environmentId: environment.id,
        versionId,
        signal: input.signal,
        // A traffic_drop rule fires on its percent; stored so lists and messages say so.
        ...(input.signal.type === 'traffic_drop' ? { comparator: '>=', threshold: input.signal.percent } : { comparator: input.comparator, threshold: input.threshold }),
        windowMinutes: input.windowMinutes,
        minSamples: input.minSamples,
        severity: input.severity,
        channelIds,
        actions: input.actions,
        createdById: ctx.actor.id,
      },
    });
    await enqueue(tx, QUEUES.evaluateAlerts, { ruleIds: [rule.id] });
    await recordAudit(tx, {
      actor: ctx.actor,
      action: 'alert_rule.create',
      targetType: 'alert_rule',
      targetId: rule.id,
      after: { ...input, channels: channelIds },
      requestId: ctx.requestId,
    });
    return rule.id;
  });
  return getRuleOrThrow(id);
}
