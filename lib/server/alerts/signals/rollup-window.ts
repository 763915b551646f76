import 'server-only';
import type { AlertRule } from '@/lib/generated/prisma/client';
import { liveHistory, loadVersionShapes, type VersionShape } from '@/lib/server/monitoring/load-target';
import { HOUR_MS, mergeWindow, readRollups, type BucketCells } from '@/lib/server/monitoring/read-rollups';
import type { EvaluationWindow } from './types';

/**
 * The rule's window of rollups, every hour and version (or the rule's version) added up: the
 * same reader as GET …/performance and …/drift/series. Rollups are hourly, so the window is
 * hour-aligned: the hour holding `from` counts whole.
 */
export async function ruleWindowCells(rule: AlertRule, window: EvaluationWindow, series: string[], versionId = rule.versionId ?? undefined): Promise<BucketCells> {
  const rollups = await readRollups({ modelId: rule.modelId, environmentId: rule.environmentId, versionId, from: window.from, to: window.to, bucketMs: HOUR_MS, series });
  return mergeWindow(rollups);
}

/**
 * The version whose drift a rule watches: the rule's own, else the one live in the environment
 * at the end of the window, else the one that received the most records in the window (a
 * model sent to with explicit versions and no release). Null when there is none.
 */
export async function driftVersion(rule: AlertRule, window: EvaluationWindow): Promise<VersionShape | null> {
  let versionId = rule.versionId ?? (await liveHistory(rule.modelId, rule.environmentId))(window.to.getTime() - 1);
  if (!versionId) {
    const rollups = await readRollups({ modelId: rule.modelId, environmentId: rule.environmentId, from: window.from, to: window.to, bucketMs: HOUR_MS, series: ['records'] });
    let most = 0;
    for (const [id, buckets] of rollups) {
      const count = [...buckets.values()].reduce((sum, bucket) => sum + (bucket.get('records')?.get('n') ?? 0), 0);
      if (count > most) [versionId, most] = [id, count];
    }
  }
  if (!versionId) return null;
  const [shape] = await loadVersionShapes(rule.modelId, { ids: [versionId] });
  return shape ?? null;
}
