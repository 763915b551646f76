import 'server-only';
import { performanceFigures, type PerformanceFigures } from '@/lib/server/monitoring/rollup-figures';
import { ruleWindowCells } from './rollup-window';
import type { AlertSignal } from './types';

/** Rule metric → figure of the rollups. MAPE is not kept in the rollups: such rules measure nothing. */
const METRICS: Record<string, keyof PerformanceFigures> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  auc: 'auc',
  log_loss: 'logLoss',
  mae: 'mae',
  mse: 'mse',
  rmse: 'rmse',
  r2: 'r2',
};

/** A quality metric over the window's labelled predictions; samples: the labels joined. */
export const performanceSignal: AlertSignal = {
  async measure(rule, window) {
    const field = METRICS[String((rule.signal as { metric?: unknown }).metric)];
    if (!field) return [];
    const figures = performanceFigures(await ruleWindowCells(rule, window, ['labels']));
    const value = figures[field];
    return value === null ? [] : [{ seriesKey: '', value, samples: figures.labeled }];
  },
  describe: (signal) => String(signal.metric),
};
