import 'server-only';
import { db } from '@/lib/db';
import { bucketStart, HOUR_MS } from '@/lib/server/monitoring/read-rollups';
import { measureSeries } from './measure-series';
import { conditionOf } from './signals';
import { simulateRule } from './simulate-rule';

/** Windows shown on each side of the firing time. */
const WINDOWS_AROUND = 3;

/**
 * The alert's signal around its firing time (three rule windows, at least three hours, on each
 * side; hourly points because rollups are hourly), with the span the alert was open.
 */
export async function getAlertSeries(alertId: string, now = new Date()) {
  const alert = await db().alert.findUniqueOrThrow({ where: { id: alertId }, include: { rule: true } });
  const { rule } = alert;
  const around = WINDOWS_AROUND * Math.max(rule.windowMinutes * 60_000, HOUR_MS);
  const fired = alert.firedAt.getTime();
  const from = bucketStart(fired - around, HOUR_MS);
  const to = Math.min(now.getTime(), Math.max(fired + around, (alert.resolvedAt?.getTime() ?? fired) + HOUR_MS));
  const stepMs = Math.max(HOUR_MS, Math.ceil((to - from) / 48 / HOUR_MS) * HOUR_MS);
  const points = await measureSeries(rule, { from, to, stepMs, seriesKey: alert.seriesKey });
  const condition = conditionOf(rule);
  const { breached } = simulateRule(points, { ...condition, minSamples: rule.minSamples, windowMinutes: rule.windowMinutes });
  return {
    comparator: condition.comparator,
    threshold: condition.threshold,
    firedAt: alert.firedAt.toISOString(),
    points: points.map((point, index) => ({ at: new Date(point.at).toISOString(), value: point.value, samples: point.samples, breached: breached[index] ?? null })),
    spans: [{ from: alert.firedAt.toISOString(), to: alert.resolvedAt?.toISOString() ?? null }],
  };
}
