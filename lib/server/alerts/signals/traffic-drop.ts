import 'server-only';
import { bucketStart, HOUR_MS } from '@/lib/server/monitoring/read-rollups';
import { operationFigures } from '@/lib/server/monitoring/rollup-figures';
import { ruleWindowCells } from './rollup-window';
import type { AlertSignal } from './types';

const DAY_MS = 86_400_000;

/**
 * How far throughput fell, in percent, against the same window a day (or, with
 * `against: "week"`, a week) before (negative: it rose); samples: the predictions of that
 * earlier window. Fires when the drop reaches `percent`. Both windows are the whole hours before
 * the current one: a partial current hour against a full hour would read as a drop.
 */
export const trafficDropSignal: AlertSignal = {
  async measure(rule, window) {
    const to = bucketStart(window.to.getTime(), HOUR_MS);
    const hours = Math.max(1, Math.ceil((window.to.getTime() - window.from.getTime()) / HOUR_MS));
    const span = (end: number) => ({ from: new Date(end - hours * HOUR_MS), to: new Date(end) });
    const back = (rule.signal as { against?: string }).against === 'week' ? 7 * DAY_MS : DAY_MS;
    const [current, before] = await Promise.all([
      ruleWindowCells(rule, span(to), ['records']),
      ruleWindowCells(rule, span(to - back), ['records']),
    ]);
    const previous = operationFigures(before).count;
    if (previous === 0) return [];
    const drop = ((previous - operationFigures(current).count) / previous) * 100;
    return [{ seriesKey: '', value: drop, samples: previous }];
  },
  condition: (signal) => (typeof signal.percent === 'number' ? { comparator: '>=', threshold: signal.percent } : undefined),
  describe: (signal) => `traffic drop of ${String(signal.percent)}% vs a ${signal.against === 'week' ? 'week' : 'day'} before`,
};
