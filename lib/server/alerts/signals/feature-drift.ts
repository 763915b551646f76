import 'server-only';
import { bucketDrift } from '@/lib/server/monitoring/get-drift-series';
import { decisionFigure, type FeatureDrift } from '@/lib/stats/drift';
import { driftVersion, ruleWindowCells } from './rollup-window';
import type { AlertSignal } from './types';

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

/** Drift of one feature of the watched version over the window; samples: its non-null values. */
export const featureDriftSignal: AlertSignal = {
  async measure(rule, window) {
    const { feature, statistic } = rule.signal as { feature?: string; statistic?: string };
    const shape = await driftVersion(rule, window);
    const slot = feature === undefined ? undefined : shape?.byName.get(feature);
    if (!shape || !slot) return [];
    const cells = await ruleWindowCells(rule, window, [`f:${slot.name}`], shape.id);
    const drift = bucketDrift(shape, cells).features.find((f) => f.name === slot.name);
    const value = drift && drift.nCurrent > 0 ? driftFigure(drift, statistic) : undefined;
    return value === undefined ? [] : [{ seriesKey: slot.name, value, samples: drift!.nCurrent }];
  },
  describe: (signal) => `drift of feature ${String(signal.feature)}${signal.statistic ? ` (${String(signal.statistic)})` : ''}`,
};
