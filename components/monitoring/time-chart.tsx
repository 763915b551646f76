'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface ReleaseMark {
  id: string;
  version: number;
  at: string;
}

export interface LineSeries {
  key: string;
  label: string;
}

/** Series colours from the theme (app/globals.css), so charts follow light and dark mode. */
export const SERIES_COLORS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)', 'var(--chart-6)'];

const tickTime = (bucket: '1h' | '1d') => (ms: number) => {
  const d = new Date(ms);
  return bucket === '1d'
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
};

/**
 * A line per series over time. Missing buckets are null and stay gaps (connectNulls off):
 * a stretch without predictions must not read as a straight line between its neighbours.
 * Releases are vertical lines labelled with their version.
 */
export function TimeChart(props: {
  label: string;
  rows: Record<string, number | null>[];
  series: LineSeries[];
  from: number;
  to: number;
  bucket: '1h' | '1d';
  releases: ReleaseMark[];
  format: (value: number) => string;
  /** The y axis' range; recharts' default otherwise. */
  yDomain?: [number, number | ((dataMax: number) => number)];
  height?: number;
}) {
  const { rows, series, releases, format } = props;
  const tick = tickTime(props.bucket);
  return (
    <div className="chart" role="img" aria-label={props.label}>
      <ResponsiveContainer width="100%" height={props.height ?? 220}>
        <LineChart data={rows} margin={{ top: 18, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[props.from, props.to]}
            tickFormatter={tick}
            stroke="var(--chart-axis)"
            tick={{ fill: 'var(--chart-axis)', fontSize: 11 }}
            minTickGap={40}
          />
          <YAxis domain={props.yDomain} tickFormatter={format} stroke="var(--chart-axis)" tick={{ fill: 'var(--chart-axis)', fontSize: 11 }} width={56} />
          <Tooltip
            labelFormatter={(value) => new Date(Number(value)).toLocaleString()}
            formatter={(value) => (typeof value === 'number' ? format(value) : '—')}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
          />
          {series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {releases.map((release) => (
            <ReferenceLine
              key={release.id}
              x={Date.parse(release.at)}
              stroke="var(--chart-release)"
              strokeDasharray="4 3"
              label={{ value: `v${release.version}`, position: 'top', fill: 'var(--chart-release)', fontSize: 11 }}
            />
          ))}
          {series.map((s, i) => (
            <Line
              key={s.key}
              type="linear"
              dataKey={s.key}
              name={s.label}
              stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
              strokeWidth={2}
              dot={rows.length < 40 ? { r: 2 } : false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
