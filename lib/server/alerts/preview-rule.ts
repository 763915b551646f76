import 'server-only';
import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db';
import type { AlertRule } from '@/lib/generated/prisma/client';
import { bucketStart, HOUR_MS } from '@/lib/server/monitoring/read-rollups';
import type { PreviewRuleInput, RulePreview } from '@/lib/validation/alerts';
import { measureSeries } from './measure-series';
import { conditionOf } from './signals';
import { simulateRule } from './simulate-rule';
import { assertRuleFitsOrThrow, resolveRuleTargetOrThrow } from './validate-rule';

export const PREVIEW_DAYS = 7;

/**
 * How often a draft rule would have fired over the last 7 days: its signal measured at the end
 * of every hour (rollups are hourly) over the rule's window, replayed through the evaluator's
 * lifecycle. Read-only: nothing is stored, nothing is notified. Same checks as creating it.
 */
export async function previewRule(input: PreviewRuleInput, now = new Date()): Promise<RulePreview> {
  const { model, environment, versionId } = await db().$transaction(async (tx) => {
    const target = await resolveRuleTargetOrThrow(tx, input);
    await assertRuleFitsOrThrow(tx, { model: target.model, versionId: target.versionId, signal: input.signal, channelIds: [] });
    return target;
  });
  const draft: AlertRule = {
    id: randomUUID(),
    name: 'preview',
    modelId: model.id,
    environmentId: environment.id,
    versionId,
    signal: input.signal,
    comparator: input.comparator,
    threshold: input.threshold,
    windowMinutes: input.windowMinutes,
    minSamples: input.minSamples,
    severity: 'info',
    channelIds: [],
    actions: [],
    enabled: true,
    snoozedUntil: null,
    createdById: null,
    createdAt: now,
    updatedAt: now,
  };
  const condition = conditionOf(draft);
  const to = now.getTime();
  // Whole hours, so each point reads whole hourly buckets; the last point ends now.
  const from = bucketStart(to, HOUR_MS) - PREVIEW_DAYS * 24 * HOUR_MS;
  const points = await measureSeries(draft, { from, to, stepMs: HOUR_MS });
  const simulated = simulateRule(points, { ...condition, minSamples: input.minSamples, windowMinutes: input.windowMinutes });
  return {
    from: new Date(from).toISOString(),
    to: now.toISOString(),
    stepMinutes: HOUR_MS / 60_000,
    comparator: condition.comparator,
    threshold: condition.threshold,
    firings: simulated.firings,
    points: points.map((point, index) => ({ at: new Date(point.at).toISOString(), value: point.value, samples: point.samples, breached: simulated.breached[index] ?? null })),
    spans: simulated.spans.map((span) => ({ from: new Date(span.from).toISOString(), to: span.to === null ? null : new Date(span.to).toISOString() })),
  };
}
