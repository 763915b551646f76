'use client';

import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';

/** A trend without axes; gaps stay gaps. The label says what it shows for screen readers. */
export function Sparkline({ values, label, color = 'var(--chart-1)' }: { values: (number | null)[]; label: string; color?: string }) {
  if (!values.some((v) => v !== null)) return null;
  const data = values.map((v, i) => ({ i, v }));
  return (
    <div className="sparkline" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height={32}>
        <LineChart data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={['dataMin', 'dataMax']} />
          <Line type="linear" dataKey="v" stroke={color} strokeWidth={1.5} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
