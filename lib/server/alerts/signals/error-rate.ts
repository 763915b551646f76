import 'server-only';
import { operationFigures } from '@/lib/server/monitoring/rollup-figures';
import { ruleWindowCells } from './rollup-window';
import type { AlertSignal } from './types';

/** Share of the window's predictions that reported an error; samples: the predictions. */
export const errorRateSignal: AlertSignal = {
  async measure(rule, window) {
    const ops = operationFigures(await ruleWindowCells(rule, window, ['records']));
    return ops.errorRate === null ? [] : [{ seriesKey: '', value: ops.errorRate, samples: ops.count }];
  },
  describe: () => 'error rate',
};
