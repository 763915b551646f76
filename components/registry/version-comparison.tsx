import Link from 'next/link';
import { ValueText } from '@/components/ui/number-text';
import { MetricDelta } from './metric-value';

export interface Comparison {
  metrics: { name: string; base: number | null; other: number | null; delta: number | null }[];
  params: { name: string; base: unknown; other: unknown; change: string }[];
}

const CHANGE_BADGE: Record<string, string> = { added: 'badge ok', removed: 'badge danger', changed: 'badge warn', same: 'badge' };

/** Metric deltas (other − base) and the parameter diff of two versions. */
export function VersionComparison(props: {
  model?: string;
  baseVersion?: number;
  baseLabel: string;
  otherLabel: string;
  comparison: Comparison;
  caption?: string;
}) {
  const { comparison, baseLabel, otherLabel } = props;
  const changedParams = comparison.params.filter((p) => p.change !== 'same').length;
  return (
    <div className="comparison" data-testid="comparison">
      <h3>Metrics</h3>
      {comparison.metrics.length === 0 ? (
        <p className="muted">Neither version reports metrics.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={props.caption ?? `Metrics: ${otherLabel} vs ${baseLabel}`}>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">{baseLabel}</th>
                <th scope="col">{otherLabel}</th>
                <th scope="col">Delta</th>
              </tr>
            </thead>
            <tbody>
              {comparison.metrics.map((metric) => (
                <tr key={metric.name}>
                  <td>{metric.name}</td>
                  <td className="mono"><ValueText value={metric.base} /></td>
                  <td className="mono"><ValueText value={metric.other} /></td>
                  <td className="mono"><MetricDelta metric={metric.name} delta={metric.delta} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Parameters {comparison.params.length > 0 ? <span className="muted small">({changedParams} differ)</span> : null}</h3>
      {comparison.params.length === 0 ? (
        <p className="muted">Neither version reports parameters.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={`Parameters: ${otherLabel} vs ${baseLabel}`}>
            <thead>
              <tr>
                <th scope="col">Parameter</th>
                <th scope="col">{baseLabel}</th>
                <th scope="col">{otherLabel}</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {comparison.params.map((param) => (
                <tr key={param.name} className={param.change === 'same' ? 'muted' : undefined}>
                  <td>{param.name}</td>
                  <td className="mono">{param.change === 'added' ? '—' : <ValueText value={param.base} />}</td>
                  <td className="mono">{param.change === 'removed' ? '—' : <ValueText value={param.other} />}</td>
                  <td><span className={CHANGE_BADGE[param.change] ?? 'badge'}>{param.change}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.model && props.baseVersion !== undefined ? (
        <p className="small">
          <Link href={`/models/${props.model}/versions/${props.baseVersion}`}>Open v{props.baseVersion}</Link>
        </p>
      ) : null}
    </div>
  );
}
