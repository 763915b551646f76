import 'server-only';
import { db } from '@/lib/db';
import { unprocessable } from '@/lib/errors';
import { recordAudit } from '@/lib/server/audit/record-audit';
import type { RequestContext } from '@/lib/server/context';
import { enqueue, QUEUES } from '@/lib/server/jobs/queue';
import type { CreateRuleInput } from '@/lib/validation/alerts';
import { getRuleOrThrow } from './get-rule';
import { assertRuleFitsOrThrow } from './validate-rule';

/** Creates a rule and queues its first evaluation (in the same transaction). */
export async function createRule(ctx: RequestContext, input: CreateRuleInput) {
  const id = await db().$transaction(async (tx) => {
    const model = await tx.model.findUnique({ where: { name: input.model } });
    if (!model) throw unprocessable(`No model named "${input.model}".`, { model: ['Unknown model.'] });
    const environment = await tx.environment.findUnique({ where: { name: input.environment } });
    if (!environment || environment.archivedAt) {
      throw unprocessable(`No active environment named "${input.environment}".`, { environment: ['Unknown environment.'] });
    }
    let versionId: string | null = null;
    if (input.version !== undefined) {
      const version = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: input.version } } });
      if (!version) throw unprocessable(`${model.name} has no version ${input.version}.`, { version: ['Unknown version.'] });
      versionId = version.id;
    }
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
