import type { Signal } from '@/lib/validation/alerts';

/** A readable label for a signal, for lists, messages and the audit log. */
export function describeSignal(signal: Signal): string {
  switch (signal.type) {
    case 'feature_drift':
      return `drift of feature ${signal.feature}${signal.statistic ? ` (${signal.statistic})` : ''}`;
    case 'dataset_drift':
      return 'dataset drift';
    case 'prediction_drift':
      return 'prediction drift';
    case 'performance':
      return signal.metric;
    case 'latency':
      return `p${signal.percentile} latency (ms)`;
    case 'error_rate':
      return 'error rate';
    case 'traffic_drop':
      return `traffic drop of ${signal.percent}% vs a ${signal.against === 'week' ? 'week' : 'day'} before`;
  }
}

export const DRIFT_SIGNAL_TYPES = ['feature_drift', 'dataset_drift', 'prediction_drift'] as const;
