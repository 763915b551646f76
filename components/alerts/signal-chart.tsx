'use client';

import { CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface SignalChartData {
  points: { at: string; value: number | null; samples: number; breached: boolean | null }[];
  spans: { from: string; to: string | null }[];
  threshold: number;
  comparator: string;
}

const timeLabel = (ms: number, long: boolean) =>
  new Date(ms).toLocaleString(undefined, long ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' });

const number = (value: number) => (Math.abs(value) >= 1000 || value === 0 ? String(Math.round(value)) : value.toPrecision(3));

/**
 * A rule's signal over time against its threshold, with the spans during which an alert was
 * (or would have been) open shaded. Used by the rule editor's preview and the alert page.
 */
export function SignalChart(props: SignalChartData & { label: string; height?: number; marker?: { at: string; label: string } }) {
  const data = props.points.map((point) => ({ t: Date.parse(point.at), value: point.value, samples: point.samples }));
  const first = data[0]?.t ?? 0;
  const last = data.at(-1)?.t ?? 0;
  const shortSpan = last - first <= 2 * 86_400_000;
  const step = data.length > 1 ? data[1]!.t - data[0]!.t : 3_600_000;
  // A point between gaps draws no line: mark it (and every breaching point) with a dot.
  const marked = new Set(
    data.flatMap((d, i) => (d.value !== null && (data[i - 1]?.value == null || data[i + 1]?.value == null || props.points[i]?.breached) ? [i] : [])),
  );
  const values = data.map((d) => d.value).filter((v): v is number => v !== null);
  const low = Math.min(props.threshold, ...values);
  const high = Math.max(props.threshold, ...values);
  const pad = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
  // Rates, statistics and latencies are never negative: do not pad the axis below zero.
  const bottom = low >= 0 ? Math.max(0, low - pad) : low - pad;
  const summary = `${props.label}: ${values.length} measured points; threshold ${props.comparator} ${props.threshold}; ${props.spans.length} firing span(s).`;
  return (
    <figure className="signal-chart" aria-label={summary}>
      <div style={{ width: '100%', height: props.height ?? 240 }} role="img" aria-label={summary}>
        <ResponsiveContainer>
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[first, last]}
              tickFormatter={(t: number) => timeLabel(t, shortSpan)}
              stroke="var(--muted)"
              fontSize={12}
              minTickGap={40}
              label={{ value: 'Time (end of each window)', position: 'insideBottom', offset: -12, fill: 'var(--muted)', fontSize: 12 }}
            />
            <YAxis
              domain={[bottom, high + pad]}
              tickFormatter={number}
              stroke="var(--muted)"
              fontSize={12}
              width={56}
              label={{ value: 'value', angle: -90, position: 'insideLeft', fill: 'var(--muted)', fontSize: 12, style: { textAnchor: 'middle' } }}
            />
            {props.spans.map((span) => (
              <ReferenceArea
                key={span.from}
                // A span covers the window that breached, so one that opened at the last point still shows.
                x1={Math.max(first, Date.parse(span.from) - step)}
                x2={span.to === null ? last : Date.parse(span.to)}
                fill="var(--danger)"
                fillOpacity={0.12}
                ifOverflow="hidden"
              />
            ))}
            <ReferenceLine
              y={props.threshold}
              stroke="var(--danger)"
              strokeDasharray="6 4"
              label={{ value: `threshold ${props.comparator} ${number(props.threshold)}`, position: 'insideTopRight', fill: 'var(--danger)', fontSize: 12 }}
            />
            {props.marker ? (
              <ReferenceLine x={Date.parse(props.marker.at)} stroke="var(--warn)" strokeWidth={2} />
            ) : null}
            <Tooltip
              labelFormatter={(t) => timeLabel(Number(t), true)}
              formatter={(value, _name, item) => [
                value === null || value === undefined ? 'no data' : `${number(Number(value))} (${(item.payload as { samples: number }).samples} samples)`,
                props.label,
              ]}
              contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
            />
            <Line
              dataKey="value"
              type="linear"
              stroke="var(--accent)"
              strokeWidth={2}
              dot={({ cx, cy, index }: { cx?: number; cy?: number; index?: number }) =>
                index !== undefined && cx !== undefined && cy !== undefined && (data.length <= 48 || marked.has(index)) ? (
                  <circle key={index} cx={cx} cy={cy} r={3} fill="var(--accent)" stroke="var(--panel)" />
                ) : (
                  <g key={index} />
                )
              }
              connectNulls={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="small muted">
        {props.label}, each point measured over the rule&apos;s window. Dashed: the threshold. Shaded: an alert open.
        {props.marker ? ` Orange: ${props.marker.label}.` : ''}
      </figcaption>
    </figure>
  );
}
