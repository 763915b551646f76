import 'server-only';
import { bucketDrift, driftColumns } from '@/lib/server/monitoring/get-drift-series';
import { hasVerdict } from '@/lib/stats/drift';
import { driftVersion, ruleWindowCells } from './rollup-window';
import type { AlertSignal } from './types';

/**
 * Share (0–1) of the watched version's features that drifted over the window, among those with
 * a verdict (bucket-verdict.ts: guarded distances, enough values); samples: its predictions.
 * Nothing when no feature has a verdict.
 */
export const datasetDriftSignal: AlertSignal = {
  async measure(rule, window) {
    const shape = await driftVersion(rule, window);
    if (!shape || shape.profiles === null) return [];
    const series = ['records', ...driftColumns(shape).features.map((column) => column.series)];
    const cells = await ruleWindowCells(rule, window, series, shape.id);
    const samples = cells.get('records')?.get('n') ?? 0;
    if (samples === 0) return [];
    const drift = bucketDrift(shape, cells);
    if (!drift.features.some(hasVerdict)) return [];
    return [{ seriesKey: '', value: drift.dataset.share, samples }];
  },
  describe: () => 'dataset drift',
};
