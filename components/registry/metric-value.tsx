import { formatNumber } from '@/components/ui/number-text';

export { formatNumber, formatValue } from '@/components/ui/number-text';

/** Metrics where a smaller number is the better one (so a negative delta is good news). */
const LOWER_IS_BETTER = /(loss|error|err$|rmse|mse|mae|mape|brier|latency|perplexity|fpr|fnr)/i;

export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.test(metric);
}

/** A signed change, coloured by whether it is an improvement for that metric. */
export function MetricDelta({ metric, delta }: { metric: string; delta: number | null }) {
  if (delta === null) return <span className="muted">—</span>;
  if (delta === 0) return <span className="delta same">±0</span>;
  const better = lowerIsBetter(metric) ? delta < 0 : delta > 0;
  const sign = delta > 0 ? '+' : '−';
  return (
    <span className={`delta ${better ? 'better' : 'worse'}`} title={better ? 'better' : 'worse'}>
      {sign}
      <span title={String(Math.abs(delta))}>{formatNumber(Math.abs(delta))}</span>
      <span className="visually-hidden"> ({better ? 'better' : 'worse'})</span>
    </span>
  );
}

/** The first few metrics of a version, compactly ("accuracy 0.91 · f1 0.88"). */
export function KeyMetrics({ metrics, limit = 3 }: { metrics: Record<string, number>; limit?: number }) {
  const entries = Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span className="muted">none</span>;
  const shown = entries.slice(0, limit);
  return (
    <span className="mono">
      {shown.map(([name, value]) => `${name} ${formatNumber(value)}`).join(' · ')}
      {entries.length > limit ? <span className="muted"> +{entries.length - limit}</span> : null}
    </span>
  );
}
