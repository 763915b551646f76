'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber } from '@/components/ui/number-text';
import type { LoadProbeView } from '@/lib/validation/decisions';

/** Latency against achieved throughput, one point per finished step; the dashed line is the p95 target. */
export function ProbeChart({ probe }: { probe: LoadProbeView }) {
  const data = probe.steps
    .filter((step) => step.p50Ms !== null)
    .map((step) => ({ throughput: Number(step.throughput.toFixed(1)), rate: step.rate, p50: step.p50Ms, p95: step.p95Ms }));
  if (data.length === 0) return <p className="muted small">No step has finished yet.</p>;
  return (
    <figure className="chart" aria-label={`Latency against throughput, ${probe.option} probe`}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="throughput" type="number" domain={[0, 'auto']} stroke="var(--muted)" label={{ value: 'Throughput (answers/s)', position: 'insideBottom', offset: -16, fill: 'var(--muted)' }} tick={{ fontSize: 12, fill: 'var(--muted)' }} />
          <YAxis type="number" domain={[0, 'auto']} stroke="var(--muted)" label={{ value: 'Latency (ms)', angle: -90, position: 'insideLeft', offset: 12, fill: 'var(--muted)' }} tick={{ fontSize: 12, fill: 'var(--muted)' }} width={56} />
          <Tooltip formatter={(value) => `${formatNumber(Number(value))} ms`} labelFormatter={(label) => `${formatNumber(Number(label))} answers/s`}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
          />
          <Legend verticalAlign="top" height={24} />
          <ReferenceLine y={probe.targetP95Ms} stroke="var(--danger)" strokeDasharray="6 4" label={{ value: `p95 target ${probe.targetP95Ms} ms`, position: 'insideTopRight', fontSize: 12, fill: 'var(--danger)' }} />
          <Line type="monotone" dataKey="p50" name="p50" stroke="var(--accent)" dot isAnimationActive={false} />
          <Line type="monotone" dataKey="p95" name="p95" stroke="var(--warn)" dot isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
      <figcaption className="visually-hidden">
        {data.map((d) => `${d.rate} req/s sent: ${d.throughput} answers/s, p50 ${formatNumber(d.p50)} ms, p95 ${formatNumber(d.p95)} ms`).join('; ')}
      </figcaption>
    </figure>
  );
}
