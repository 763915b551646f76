'use client';

import './monitoring.css';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { Overview } from '@/lib/validation/monitoring';
import { fetchJson } from './fetch-json';
import { Sparkline } from './sparkline';

type Row = Overview['rows'][number];
type SortKey = 'model' | 'environment' | 'health' | 'predictions' | 'metric' | 'worst' | 'alerts';

export const OVERVIEW_REFRESH_MS = 60_000;

const HEALTH_LABEL: Record<Row['health'], string> = { healthy: 'Healthy', drifting: 'Drifting', degraded: 'Degraded', no_data: 'No data' };
/** Worst first when sorting by health. */
const HEALTH_RANK: Record<Row['health'], number> = { degraded: 0, drifting: 1, healthy: 2, no_data: 3 };
const METRIC_LABEL: Record<string, string> = { accuracy: 'Accuracy', rmse: 'RMSE' };

const sorters: Record<SortKey, (a: Row, b: Row) => number> = {
  model: (a, b) => a.model.localeCompare(b.model),
  environment: (a, b) => (a.environment ?? '~').localeCompare(b.environment ?? '~'),
  health: (a, b) => HEALTH_RANK[a.health] - HEALTH_RANK[b.health],
  predictions: (a, b) => a.predictions - b.predictions,
  metric: (a, b) => (a.metric?.value ?? -Infinity) - (b.metric?.value ?? -Infinity),
  worst: (a, b) => (a.worstFeature?.ratio ?? -1) - (b.worstFeature?.ratio ?? -1),
  alerts: (a, b) => a.openAlerts - b.openAlerts,
};

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'model', label: 'Model' },
  { key: 'environment', label: 'Environment' },
  { key: 'health', label: 'Health' },
  { key: 'predictions', label: 'Predictions' },
  { key: 'metric', label: 'Quality' },
  { key: 'worst', label: 'Worst feature' },
  { key: 'alerts', label: 'Open alerts' },
];

const WINDOWS = [
  { key: '24h', label: '24 h' },
  { key: '7d', label: '7 d' },
  { key: '30d', label: '30 d' },
] as const;

function tabHref(row: Row) {
  const base = `/models/${encodeURIComponent(row.model)}/monitoring`;
  return row.environment ? `${base}?environment=${encodeURIComponent(row.environment)}` : base;
}

function Health({ row }: { row: Row }) {
  return (
    <span className={`health ${row.health}`} title={row.reasons.join(' ')}>
      {HEALTH_LABEL[row.health]}
    </span>
  );
}

function Metric({ row }: { row: Row }) {
  if (!row.metric || row.metric.value === null) return <span className="muted">no labels</span>;
  return (
    <span>
      {METRIC_LABEL[row.metric.name] ?? row.metric.name} {row.metric.value.toFixed(3)}
      {row.metric.previous !== null ? <span className="muted small"> (before {row.metric.previous.toFixed(3)})</span> : null}
    </span>
  );
}

function Worst({ row }: { row: Row }) {
  const worst = row.worstFeature;
  if (!worst) return <span className="muted">—</span>;
  return (
    <span title={`${worst.method} ${worst.value.toPrecision(3)}, threshold ${worst.threshold}`}>
      <strong>{worst.name}</strong> {worst.ratio >= 1e6 ? '≫' : `${worst.ratio.toFixed(1)}×`} threshold
      {worst.drifted ? <span className="badge warn">drifted</span> : null}
    </span>
  );
}

function Alerts({ row }: { row: Row }) {
  if (row.openAlerts === 0) return <span className="muted">0</span>;
  return (
    <Link className="badge danger" href={`/alerts?model=${encodeURIComponent(row.model)}`} aria-label={`${row.openAlerts} open alerts for ${row.model}`}>
      ▲ {row.openAlerts}
    </Link>
  );
}

export function MonitoringOverview({ initial }: { initial: Overview }) {
  const [window, setWindow] = useState<Overview['window']>(initial.window);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'health', descending: false });
  const { data = initial, isFetching, error } = useQuery({
    queryKey: ['monitoring', 'overview', window],
    queryFn: () => fetchJson<Overview>(`/api/v1/monitoring/overview?window=${window}`),
    initialData: window === initial.window ? initial : undefined,
    refetchInterval: OVERVIEW_REFRESH_MS,
  });
  const rows = [...data.rows].sort((a, b) => {
    const order = sorters[sort.key](a, b) || sorters.model(a, b);
    return sort.descending ? -order : order;
  });
  const toggle = (key: SortKey) => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }));

  return (
    <>
      <div className="inline filters monitoring-controls">
        <fieldset className="range-picker">
          <legend className="label">Window</legend>
          <div className="segmented">
            {WINDOWS.map((w) => (
              <button key={w.key} type="button" className={`btn small${window === w.key ? ' primary' : ''}`} aria-pressed={window === w.key} onClick={() => setWindow(w.key)}>
                {w.label}
              </button>
            ))}
          </div>
        </fieldset>
        <p className="muted small" aria-live="polite">
          Refreshed every {OVERVIEW_REFRESH_MS / 1000} s{isFetching ? ' · updating…' : ''}
        </p>
      </div>
      {error ? (
        <p className="notice danger" role="alert">
          {(error as Error).message}
        </p>
      ) : null}

      {rows.every((row) => row.health === 'no_data') ? (
        <div className="notice warn" role="status">
          No predictions in this window yet. POST them to <code>/api/v1/predictions</code> (<code>{'{"model", "environment", "records": [...]}'}</code>) or run{' '}
          <code>npm run demo:traffic</code>; labels go to <code>/api/v1/labels</code>.
        </div>
      ) : null}
      <div className="table-wrap overview-table">
        <table className="table" aria-label="Models by health">
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column.key} aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'} scope="col">
                  <button type="button" className="sort-button" onClick={() => toggle(column.key)}>
                    {column.label}
                    <span aria-hidden="true">{sort.key === column.key ? (sort.descending ? '▼' : '▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.model}/${row.environment}`} data-testid={`overview-${row.model}-${row.environment ?? 'none'}`}>
                <td>
                  <Link href={tabHref(row)}>
                    <strong>{row.model}</strong>
                  </Link>
                  {row.version ? <span className="muted small"> v{row.version}</span> : null}
                </td>
                <td>{row.environment ?? <span className="muted">not deployed</span>}</td>
                <td>
                  <Health row={row} />
                  {row.reasons.length > 0 ? <div className="muted small">{row.reasons.join(' ')}</div> : null}
                </td>
                <td>
                  <div>{row.predictions.toLocaleString()}</div>
                  <Sparkline values={row.sparklines.throughput} label={`Throughput of ${row.model} over the window`} />
                </td>
                <td>
                  <Metric row={row} />
                  <br />
                  <Sparkline values={row.sparklines.metric} label={`${row.metric?.name ?? 'Quality'} of ${row.model} over the window`} color="var(--chart-3)" />
                </td>
                <td>
                  <Worst row={row} />
                </td>
                <td>
                  <Alerts row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="overview-cards" aria-label="Models by health">
        {rows.map((row) => (
          <article key={`${row.model}/${row.environment}`} className="panel overview-card">
            <h3>
              <Link href={tabHref(row)}>{row.model}</Link>
              <Health row={row} />
            </h3>
            <dl>
              <dt>Environment</dt>
              <dd>
                {row.environment ?? 'not deployed'}
                {row.version ? ` · v${row.version}` : ''}
              </dd>
              <dt>Predictions</dt>
              <dd>{row.predictions.toLocaleString()}</dd>
              <dt>Quality</dt>
              <dd>
                <Metric row={row} />
              </dd>
              <dt>Worst feature</dt>
              <dd>
                <Worst row={row} />
              </dd>
              <dt>Open alerts</dt>
              <dd>
                <Alerts row={row} />
              </dd>
            </dl>
            {row.reasons.length > 0 ? <p className="muted small">{row.reasons.join(' ')}</p> : null}
            <Sparkline values={row.sparklines.throughput} label={`Throughput of ${row.model} over the window`} />
          </article>
        ))}
      </div>
    </>
  );
}

/** What each health state means: the same rules as the overview endpoint (docs/api.md). */
export function HealthHelp({ thresholds }: { thresholds: Overview['thresholds'] }) {
  return (
    <details className="panel">
      <summary>What the health states mean</summary>
      <dl className="health-help">
        <dt>No data</dt>
        <dd>No prediction arrived in the window.</dd>
        <dt>Degraded</dt>
        <dd>
          Error rate at or above {thresholds.errorRate * 100} %, or the quality metric worse than in the previous window of the same length: accuracy down by{' '}
          {thresholds.accuracyDrop} or more (classification), RMSE up by {thresholds.rmseRise * 100} % or more (regression).
        </dd>
        <dt>Drifting</dt>
        <dd>Not degraded, and at least one feature (or the prediction) of the version measured drifted over the window against its reference.</dd>
        <dt>Healthy</dt>
        <dd>Predictions arrive and none of the above holds. A version without a reference is healthy but its drift is not measured.</dd>
      </dl>
      <p className="muted small">
        Worst feature: the feature furthest past its threshold (value ÷ threshold for PSI and Jensen–Shannon, threshold ÷ p for chi-square; ≥ 1× is past it, and it drifted when marked so — a distance also needs its chi-square test to agree).
      </p>
    </details>
  );
}
