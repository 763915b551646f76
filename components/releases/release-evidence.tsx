import Link from 'next/link';
import { formatValue, MetricDelta } from '@/components/registry/metric-value';
import { DataTable } from '@/components/ui/data-table';
import { ValueText } from '@/components/ui/number-text';
import type { Gate } from './gate-summary';
import { GatesTable } from './gates-table';

export interface EvidenceEntry {
  kind: 'request' | 'approval';
  takenAt: string;
  takenBy: string | null;
  baselineVersion: number | null;
  metrics: { name: string; base: number | null; other: number | null; delta: number | null }[];
  params: { name: string; base: unknown; other: unknown; change: string }[];
  gates: Gate[];
}

const SHORT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "At request, 21 Nov 2026, 10:02" / "At approval by rae@…, 21 Nov 2026, 10:05". */
function heading(entry: EvidenceEntry) {
  const when = new Date(entry.takenAt);
  const who = entry.kind === 'approval' ? `At approval${entry.takenBy ? ` by ${entry.takenBy}` : ''}` : 'At request';
  return (
    <>
      {who}, <time dateTime={when.toISOString()} title={when.toLocaleString()}>{SHORT.format(when)}</time>
    </>
  );
}

/** The evidence a release was requested and approved on, as it stood then (never recomputed). */
export function ReleaseEvidence(props: { model: string; version: number; environment: string; evidence: EvidenceEntry[] }) {
  const { model, version, environment, evidence } = props;
  if (evidence.length === 0) {
    return (
      <p className="notice" role="status" data-testid="evidence-missing">
        Evidence was not recorded for this release: it predates evidence snapshots, and ModelDeck does not recompute
        it against what is live today.
      </p>
    );
  }
  return (
    <>
      {evidence.map((entry, index) => {
        const id = `evidence-${index}`;
        const changed = entry.params.filter((p) => p.change !== 'same');
        return (
          <article key={id} className="panel" aria-labelledby={id} data-testid={`evidence-${entry.kind}`}>
            <h3 id={id}>{heading(entry)}</h3>
            <p className="muted">
              {entry.baselineVersion !== null ? (
                <>
                  Live in {environment} then:{' '}
                  <Link href={`/models/${model}/versions/${entry.baselineVersion}`}>v{entry.baselineVersion}</Link>, the version
                  v{version} would replace.
                </>
              ) : (
                <>Nothing was live in {environment} then, so there was nothing to compare with.</>
              )}
            </p>
            {entry.metrics.length === 0 ? (
              <p className="muted">No metrics were reported.</p>
            ) : entry.baselineVersion !== null ? (
              <DataTable
                label={`Metrics, ${entry.kind === 'request' ? 'at request' : 'at approval'}`}
                columns={['Metric', <>Live then (v{entry.baselineVersion})</>, <>This version (v{version})</>, 'Delta']}
              >
                {entry.metrics.map((metric) => (
                  <tr key={metric.name}>
                    <td>{metric.name}</td>
                    <td className="mono"><ValueText value={metric.base} /></td>
                    <td className="mono"><ValueText value={metric.other} /></td>
                    <td className="mono"><MetricDelta metric={metric.name} delta={metric.delta} /></td>
                  </tr>
                ))}
              </DataTable>
            ) : (
              <DataTable label={`Metrics, ${entry.kind === 'request' ? 'at request' : 'at approval'}`} columns={['Metric', <>This version (v{version})</>]}>
                {entry.metrics.map((metric) => (
                  <tr key={metric.name}>
                    <td>{metric.name}</td>
                    <td className="mono"><ValueText value={metric.other} /></td>
                  </tr>
                ))}
              </DataTable>
            )}
            {entry.baselineVersion !== null ? (
              changed.length > 0 ? (
                <details>
                  <summary>Parameter changes ({changed.length})</summary>
                  <ul className="plain">
                    {changed.map((p) => (
                      <li key={p.name} className="mono">
                        {p.name}:{' '}
                        {p.change === 'added'
                          ? `added ${formatValue(p.other)}`
                          : p.change === 'removed'
                            ? `removed (was ${formatValue(p.base)})`
                            : `${formatValue(p.base)} → ${formatValue(p.other)}`}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : (
                <p className="muted small">Same parameters as v{entry.baselineVersion}.</p>
              )
            ) : null}
            <h4>Gates</h4>
            <GatesTable gates={entry.gates} />
          </article>
        );
      })}
    </>
  );
}
