import 'server-only';
import { operationFigures } from '@/lib/server/monitoring/rollup-figures';
import { ruleWindowCells } from './rollup-window';
import type { AlertSignal } from './types';

const PERCENTILES = { 50: 'p50', 95: 'p95', 99: 'p99' } as const;

/** A latency percentile of the window in ms (within 5%: log buckets); samples: predictions with a latency. */
export const latencySignal: AlertSignal = {
  async measure(rule, window) {
    const percentile = (rule.signal as { percentile?: number }).percentile;
    const field = PERCENTILES[percentile as keyof typeof PERCENTILES];
    if (!field) return [];
    const ops = operationFigures(await ruleWindowCells(rule, window, ['records']));
    const value = ops[field];
    return value === null ? [] : [{ seriesKey: '', value, samples: ops.latencyCount }];
  },
  describe: (signal) => `p${String(signal.percentile)} latency (ms)`,
};
