'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface DistributionBin {
  label: string;
  reference: number | null;
  current: number | null;
}

const percent = (value: number) => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)} %`;

/** Reference against current shares per bin (or category), side by side. */
export function DistributionChart({ label, bins }: { label: string; bins: DistributionBin[] }) {
  return (
    <div className="chart" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={bins} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" stroke="var(--chart-axis)" tick={{ fill: 'var(--chart-axis)', fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis tickFormatter={percent} stroke="var(--chart-axis)" tick={{ fill: 'var(--chart-axis)', fontSize: 11 }} width={48} />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? percent(value) : '—')}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
            cursor={{ fill: 'var(--chart-grid)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="reference" name="Reference" fill="var(--chart-reference)" isAnimationActive={false} />
          <Bar dataKey="current" name="Current" fill="var(--chart-1)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
