import 'server-only';
import { bucketDrift } from '@/lib/server/monitoring/get-drift-series';
import type { AlertRule } from '@/lib/generated/prisma/client';
import { GUARD_ALPHA, isDistanceMethod } from '@/lib/stats/bucket-verdict';
import { decisionFigure, type FeatureDrift } from '@/lib/stats/drift';
import { driftVersion, ruleWindowCells } from './rollup-window';
import type { AlertSignal, Measurement } from './types';

/**
 * The figure a rule's statistic names. Without one, the column's own decision figure (PSI for
 * numeric columns, chi-square p-value or Jensen–Shannon for categorical ones). KS needs raw
 * values, which rules do not read: a KS rule on a numeric feature measures nothing.
 */
export function driftFigure(drift: FeatureDrift, statistic: string | undefined): number | undefined {
  switch (statistic) {
    case undefined:
      return decisionFigure(drift);
    case 'psi':
      return drift.psi;
    case 'jensen_shannon':
      return drift.jensenShannon;
    case 'chi2':
      return drift.chiSquare?.pValue;
    case 'ks':
      return drift.ks?.pValue;
    default:
      return undefined;
  }
}

/**
 * A drift measurement of the window, as the heatmap decides a bucket (lib/stats/bucket-verdict.ts):
 * nothing when the window has too few values for a verdict; a distance (PSI, Jensen–Shannon)
 * watched for rising (> or >=) carries whether the chi-square test on the same counts rejects,
 * so noise of a quiet window past the threshold does not fire. A p-value is its own test.
 */
export function driftMeasurement(rule: Pick<AlertRule, 'comparator'>, seriesKey: string, drift: FeatureDrift | undefined, statistic?: string): Measurement[] {
  if (!drift || drift.nCurrent === 0 || drift.tooFewValues) return [];
  const value = driftFigure(drift, statistic);
  if (value === undefined) return [];
  const distance = statistic === undefined ? isDistanceMethod(drift.method) : isDistanceMethod(statistic);
  const measurement: Measurement = { seriesKey, value, samples: drift.nCurrent };
  if (distance && (rule.comparator === '>' || rule.comparator === '>=')) measurement.significant = (drift.chiSquare?.pValue ?? 1) < GUARD_ALPHA;
  return [measurement];
}

/** Drift of one feature of the watched version over the window; samples: its non-null values. */
export const featureDriftSignal: AlertSignal = {
  async measure(rule, window) {
    const { feature, statistic } = rule.signal as { feature?: string; statistic?: string };
    const shape = await driftVersion(rule, window);
    const slot = feature === undefined ? undefined : shape?.byName.get(feature);
    if (!shape || !slot) return [];
    const cells = await ruleWindowCells(rule, window, [`f:${slot.name}`], shape.id);
    return driftMeasurement(rule, slot.name, bucketDrift(shape, cells).features.find((f) => f.name === slot.name), statistic);
  },
  describe: (signal) => `drift of feature ${String(signal.feature)}${signal.statistic ? ` (${String(signal.statistic)})` : ''}`,
};
