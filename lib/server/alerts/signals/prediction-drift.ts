import 'server-only';
import { bucketDrift, driftColumns } from '@/lib/server/monitoring/get-drift-series';
import { driftMeasurement } from './feature-drift';
import { driftVersion, ruleWindowCells } from './rollup-window';
import type { AlertSignal } from './types';

/**
 * Drift of the prediction column over the window, against the version's reference
 * `prediction` column (PSI for numeric predictions, the categorical default for labels);
 * samples: predictions compared. Nothing without a prediction reference, or with too few
 * predictions for a verdict; guarded as feature drift (driftMeasurement).
 */
export const predictionDriftSignal: AlertSignal = {
  async measure(rule, window) {
    const shape = await driftVersion(rule, window);
    const column = shape ? driftColumns(shape).prediction : undefined;
    if (!shape || !column) return [];
    return driftMeasurement(rule, '', bucketDrift(shape, await ruleWindowCells(rule, window, [column.series], shape.id)).prediction);
  },
  describe: () => 'prediction drift',
};
