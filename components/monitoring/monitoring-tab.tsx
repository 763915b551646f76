'use client';

import './monitoring.css';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { ChartEmpty, ChartPanel } from './chart-panel';
import { DistributionChart } from './distribution-chart';
import { DriftHeatmap, type HeatmapRow } from './drift-heatmap';
import { fetchJson, query } from './fetch-json';
import { TimeChart, type ReleaseMark } from './time-chart';
import { RANGES, windowOf, type RangeKey, type Window } from './time-range';
import { byVersion, MIN_LABELED_POINT, type Performance } from './by-version';

type Task = 'classification' | 'regression' | 'other';

interface DriftSeries {
  version: number;
  from: string;
  to: string;
  hasReference: boolean;
  downsampled: boolean;
  features: HeatmapRow[];
  prediction?: HeatmapRow;
}
interface Distribution {
  column: string;
  type: 'numeric' | 'categorical';
  sensitive: boolean;
  hasReference: boolean;
  nReference: number;
  nCurrent: number;
  nNull: number;
  bins: { label: string; reference: number | null; current: number | null }[];
}

/** Refetch period of a "last …" range: new predictions show up within it. */
export const LIVE_REFRESH_MS = 30_000;

const QUALITY: Record<Task, { key: string; label: string }[]> = {
  classification: [
    { key: 'accuracy', label: 'Accuracy' },
    { key: 'f1', label: 'F1' },
    { key: 'auc', label: 'ROC AUC' },
    { key: 'precision', label: 'Precision' },
    { key: 'recall', label: 'Recall' },
    { key: 'logLoss', label: 'Log loss' },
  ],
  regression: [
    { key: 'mae', label: 'MAE' },
    { key: 'rmse', label: 'RMSE' },
    { key: 'r2', label: 'R²' },
  ],
  other: [
    { key: 'accuracy', label: 'Accuracy' },
    { key: 'mae', label: 'MAE' },
    { key: 'rmse', label: 'RMSE' },
  ],
};
const LATENCY = [
  { key: 'latencyP50Ms', label: 'p50' },
  { key: 'latencyP95Ms', label: 'p95' },
  { key: 'latencyP99Ms', label: 'p99' },
];

const number = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3));
const percent = (x: number) => `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)} %`;

/** Charts over all predictions (labelled or not), one line per version. */
const OPERATIONS = [
  { id: 'throughput', title: 'Throughput (predictions / min)', metric: 'throughputPerMinute', format: number, yDomain: undefined },
  // A share: from 0, and at least up to 5 % so that "no errors" reads as a flat line at 0 rather
  // than an axis stretched to 400 % by recharts' defaults.
  { id: 'errors', title: 'Error rate', metric: 'errorRate', format: percent, yDomain: [0, (max: number) => Math.min(1, Math.max(max, 0.05))] as [number, (max: number) => number] },
];

function hasAny(rows: Record<string, number | null>[]): boolean {
  return rows.some((row) => Object.entries(row).some(([key, value]) => key !== 't' && value !== null));
}

export function MonitoringTab(props: {
  model: string;
  task: Task;
  environments: {
    name: string;
    liveVersion: number | null;
    canaryVersion: number | null;
    /** What the environment's model server dropped instead of reporting (null: not a reporting backend, or unreachable). */
    reportsDropped: { dropped: number; since: string | null } | null;
  }[];
  initialEnvironment: string;
  versions: number[];
  sensitive: string[];
}) {
  const ids = useId();
  const [environment, setEnvironment] = useState(props.initialEnvironment);
  const [range, setRange] = useState<RangeKey>('24h');
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [appliedCustom, setAppliedCustom] = useState({ from: '', to: '' });
  const lane = props.environments.find((e) => e.name === environment);
  const [pickedVersion, setPickedVersion] = useState<number | null>(null);
  const version = pickedVersion ?? lane?.liveVersion ?? props.versions[0] ?? null;
  const [selected, setSelected] = useState<string | null>(null);
  const [quality, setQuality] = useState(QUALITY[props.task][0]!.key);
  const [latency, setLatency] = useState('latencyP95Ms');
  const sensitive = useMemo(() => new Set(props.sensitive), [props.sensitive]);

  const probe = windowOf(range, Date.now(), appliedCustom);
  const rangeError = 'error' in probe ? probe.error : null;
  const live = range !== 'custom';
  const enabled = rangeError === null;
  /** Each fetch takes the window at its own time, so a "last …" range moves with the clock. */
  const current = () => windowOf(range, Date.now(), appliedCustom) as Window;
  const keyBase = [props.model, environment, range, appliedCustom.from, appliedCustom.to] as const;
  const common = { enabled, refetchInterval: live ? LIVE_REFRESH_MS : (false as const), placeholderData: keepPreviousData };
  const base = `/api/v1/models/${encodeURIComponent(props.model)}`;

  const performance = useQuery({
    queryKey: ['monitoring', 'performance', ...keyBase],
    queryFn: () => {
      const w = current();
      return fetchJson<Performance>(`${base}/performance?${query({ environment, from: w.from, to: w.to, bucket: w.bucket })}`);
    },
    ...common,
  });
  const drift = useQuery({
    queryKey: ['monitoring', 'drift', ...keyBase, version],
    queryFn: () => {
      const w = current();
      return fetchJson<DriftSeries>(`${base}/drift/series?${query({ environment, version: version ?? undefined, from: w.from, to: w.to, bucket: w.bucket })}`);
    },
    ...common,
    enabled: enabled && version !== null,
  });
  const releases = useQuery({
    queryKey: ['monitoring', 'releases', ...keyBase],
    queryFn: () => {
      const w = current();
      return fetchJson<{ releases: ReleaseMark[] }>(`${base}/monitoring/releases?${query({ environment, from: w.from, to: w.to })}`);
    },
    ...common,
  });
  const feature = selected ?? drift.data?.features[0]?.name ?? null;
  const distribution = (column: string | null) => ({
    queryKey: ['monitoring', 'distribution', ...keyBase, version, column],
    queryFn: () => {
      const w = current();
      return fetchJson<Distribution>(`${base}/monitoring/distribution?${query({ environment, version: version ?? undefined, column: column ?? '', from: w.from, to: w.to })}`);
    },
    ...common,
    enabled: enabled && version !== null && column !== null,
  });
  const featureDistribution = useQuery(distribution(feature));
  const predictionDistribution = useQuery(distribution('prediction'));

  const data = performance.data;
  const from = data ? Date.parse(data.from) : 0;
  const to = data ? Date.parse(data.to) : 0;
  const bucket = data?.bucket ?? '1h';
  const marks = releases.data?.releases ?? [];
  const versionSeries = (data?.versions ?? []).map((v) => ({ key: `v${v.version}`, label: `v${v.version}` }));
  const noPredictions = data !== undefined && data.versions.every((v) => v.points.every((p) => p.count === 0));
  const csv = (chart: string, extra: Record<string, string | number | undefined> = {}) =>
    data ? `${base}/monitoring/export?${query({ chart, environment, from: data.from, to: data.to, bucket, ...extra })}` : undefined;

  const qualityRows = data ? byVersion(data, quality, MIN_LABELED_POINT) : [];
  const latencyRows = data ? byVersion(data, latency) : [];

  return (
    <div className="monitoring-tab">
      <form className="inline filters monitoring-controls" onSubmit={(event) => event.preventDefault()} aria-label="Monitoring filters">
        <div className="field">
          <label htmlFor={`${ids}-env`}>Environment</label>
          <select
            id={`${ids}-env`}
            value={environment}
            onChange={(event) => {
              setEnvironment(event.target.value);
              setPickedVersion(null);
            }}
          >
            {props.environments.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
                {e.liveVersion ? ` (v${e.liveVersion} live)` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-version`}>Drift of version</label>
          <select id={`${ids}-version`} value={version ?? ''} onChange={(event) => setPickedVersion(Number(event.target.value))} disabled={props.versions.length === 0}>
            {props.versions.map((v) => (
              <option key={v} value={v}>
                v{v}
                {v === lane?.liveVersion ? ' (live)' : v === lane?.canaryVersion ? ' (canary)' : ''}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="range-picker">
          <legend className="label">Time range</legend>
          <div className="segmented">
            {[...RANGES, { key: 'custom' as const, label: 'Custom' }].map((r) => (
              <button key={r.key} type="button" className={`btn small${range === r.key ? ' primary' : ''}`} aria-pressed={range === r.key} onClick={() => setRange(r.key)}>
                {r.label}
              </button>
            ))}
          </div>
        </fieldset>
        {range === 'custom' ? (
          <div className="custom-range">
            <div className="field">
              <label htmlFor={`${ids}-from`}>From</label>
              <input id={`${ids}-from`} type="datetime-local" value={custom.from} onChange={(event) => setCustom({ ...custom, from: event.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`${ids}-to`}>To</label>
              <input id={`${ids}-to`} type="datetime-local" value={custom.to} onChange={(event) => setCustom({ ...custom, to: event.target.value })} />
            </div>
            <button type="button" className="btn" onClick={() => setAppliedCustom(custom)}>
              Apply
            </button>
          </div>
        ) : null}
      </form>
      {rangeError ? (
        <p className="form-error" role="alert">
          {rangeError}
        </p>
      ) : null}
      <p className="muted small" aria-live="polite">
        {data ? (
          <>
            {new Date(data.from).toLocaleString()} – {new Date(data.to).toLocaleString()}, {bucket === '1h' ? 'hourly' : 'daily'} buckets
            {live ? `; refreshed every ${LIVE_REFRESH_MS / 1000} s` : ''}
            {performance.isFetching ? ' · updating…' : ''}
          </>
        ) : performance.isError ? null : (
          'Loading…'
        )}
      </p>
      {performance.isError ? (
        <p className="notice danger" role="alert">
          {(performance.error as Error).message}
        </p>
      ) : null}
      {lane?.reportsDropped && lane.reportsDropped.dropped > 0 ? (
        <div className="notice warn" role="status" data-testid="reports-dropped">
          <strong>
            {lane.reportsDropped.dropped.toLocaleString()} {lane.reportsDropped.dropped === 1 ? 'report' : 'reports'} dropped
            {lane.reportsDropped.since ? ` since ${new Date(lane.reportsDropped.since).toLocaleString()}` : ''}
          </strong>
          <p className="small">
            The model server for {environment} answered these predictions but could not send them here: its report buffer was full
            while the dashboard was unreachable or slow. They are missing from the charts below. Raise MODEL_SERVER_REPORT_BUFFER or
            check the server&apos;s lastError on GET /manage/reporting; the count restarts with the server.
          </p>
        </div>
      ) : null}

      {noPredictions ? (
        <div className="panel empty" role="status" data-testid="monitoring-empty">
          <strong>
            No predictions yet for {props.model} in {environment} in this range.
          </strong>
          <p>
            POST them to <code>/api/v1/predictions</code> (<code>{`{"model": "${props.model}", "environment": "${environment}", "records": [...]}`}</code>), send
            labels to <code>/api/v1/labels</code>, or run <code>npm run demo:traffic</code>. Charts fill in as they arrive.
          </p>
        </div>
      ) : null}

      <ChartPanel id="drift" title={`Drift by feature${drift.data ? ` (v${drift.data.version})` : ''}`} csvHref={drift.data ? csv('drift', { version: drift.data.version }) : undefined} wide>
        {version === null ? (
          <ChartEmpty>No version registered yet.</ChartEmpty>
        ) : drift.isError ? (
          <ChartEmpty>{(drift.error as Error).message}</ChartEmpty>
        ) : !drift.data ? (
          <ChartEmpty>Loading…</ChartEmpty>
        ) : !drift.data.hasReference ? (
          <ChartEmpty>
            v{drift.data.version} has no reference distribution, so drift is not measured. Upload one:{' '}
            <code>
              POST {base}/versions/{drift.data.version}/reference {'{"columns": {"feature": [values…]}}'}
            </code>
            .
          </ChartEmpty>
        ) : (
          <>
            <p className="muted small">Select a feature to see its reference and current distributions.{drift.data.downsampled ? ' Long range: buckets downsampled, spikes kept.' : ''}</p>
            <DriftHeatmap rows={drift.data.features} sensitive={sensitive} selected={feature} onSelect={setSelected} />
          </>
        )}
      </ChartPanel>

      <div className="chart-grid">
        <ChartPanel id="feature-distribution" title={feature ? `${feature}: reference vs current` : 'Feature distribution'} csvHref={feature && version ? csv('distribution', { column: feature, version }) : undefined}>
          <DistributionBody query={featureDistribution} what={feature ?? 'the feature'} base={base} version={version} />
        </ChartPanel>
        <ChartPanel id="prediction-distribution" title="Prediction distribution" csvHref={version ? csv('distribution', { column: 'prediction', version }) : undefined}>
          <DistributionBody query={predictionDistribution} what="the prediction" base={base} version={version} />
        </ChartPanel>

        <ChartPanel
          id="performance"
          title="Performance"
          csvHref={csv('performance')}
          controls={
            <select aria-label="Performance metric" value={quality} onChange={(event) => setQuality(event.target.value)}>
              {QUALITY[props.task].map((m) => (
                <option key={m.key} value={m.key}>
                  {m.label}
                </option>
              ))}
            </select>
          }
        >
          {!data ? (
            <ChartEmpty>Loading…</ChartEmpty>
          ) : hasAny(qualityRows) ? (
            <>
              <TimeChart label={`${quality} per version over time`} rows={qualityRows} series={versionSeries} from={from} to={to} bucket={bucket} releases={marks} format={number} />
              <p className="muted small">Buckets with fewer than {MIN_LABELED_POINT} labelled predictions are left out (too few to judge); the CSV has every bucket with its count.</p>
            </>
          ) : data.versions.some((v) => v.points.some((p) => typeof p.labeled === 'number' && p.labeled > 0)) ? (
            <ChartEmpty>
              Every bucket in this range has fewer than {MIN_LABELED_POINT} labelled predictions: too few to judge. Pick a longer range (daily buckets), or see each bucket&apos;s figures in the CSV.
            </ChartEmpty>
          ) : (
            <ChartEmpty>
              No labelled predictions in this range. Send ground truth by record id: <code>POST /api/v1/labels {'{"model": "…", "records": [{"id", "label"}]}'}</code>.
            </ChartEmpty>
          )}
        </ChartPanel>

        <ChartPanel
          id="latency"
          title="Latency (ms)"
          csvHref={csv('operations')}
          controls={
            <select aria-label="Latency percentile" value={latency} onChange={(event) => setLatency(event.target.value)}>
              {LATENCY.map((m) => (
                <option key={m.key} value={m.key}>
                  {m.label}
                </option>
              ))}
            </select>
          }
        >
          {!data ? (
            <ChartEmpty>Loading…</ChartEmpty>
          ) : hasAny(latencyRows) ? (
            <TimeChart label="Latency per version over time" rows={latencyRows} series={versionSeries} from={from} to={to} bucket={bucket} releases={marks} format={number} />
          ) : (
            <ChartEmpty>No latencies in this range: send <code>latencyMs</code> with each prediction.</ChartEmpty>
          )}
        </ChartPanel>

        {OPERATIONS.map((chart) => (
          <ChartPanel key={chart.id} id={chart.id} title={chart.title} csvHref={csv('operations')}>
            {!data ? (
              <ChartEmpty>Loading…</ChartEmpty>
            ) : !noPredictions ? (
              <TimeChart label={`${chart.title} per version over time`} rows={byVersion(data, chart.metric)} series={versionSeries} from={from} to={to} bucket={bucket} releases={marks} format={chart.format} yDomain={chart.yDomain} />
            ) : (
              <ChartEmpty>No predictions in this range.</ChartEmpty>
            )}
          </ChartPanel>
        ))}
      </div>
    </div>
  );
}

function DistributionBody(props: { query: { data?: Distribution; isError: boolean; error: unknown }; what: string; base: string; version: number | null }) {
  const { data } = props.query;
  if (props.version === null) return <ChartEmpty>No version registered yet.</ChartEmpty>;
  if (props.query.isError) return <ChartEmpty>{(props.query.error as Error).message}</ChartEmpty>;
  if (!data) return <ChartEmpty>Loading…</ChartEmpty>;
  if (data.bins.length === 0) {
    return (
      <ChartEmpty>
        {data.type === 'numeric' && !data.hasReference
          ? `Numeric values are binned on the reference's deciles: upload a reference with ${props.what === 'the prediction' ? 'a prediction column' : `a ${data.column} column`} (POST ${props.base}/versions/${props.version}/reference).`
          : `No values of ${props.what} in this range.`}
      </ChartEmpty>
    );
  }
  return (
    <>
      <p className="muted small">
        {data.nCurrent.toLocaleString()} current values{data.nNull > 0 ? `, ${data.nNull.toLocaleString()} missing` : ''}; reference {data.nReference.toLocaleString()}.
        {data.sensitive ? ' Sensitive feature: values are masked.' : ''}
      </p>
      <DistributionChart label={`${data.column}: reference and current distribution`} bins={data.bins} />
    </>
  );
}
