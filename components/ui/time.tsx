const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "just now", "3 min ago", "2 hr ago", "5 days ago" (or "in …" for future times); older than 30 days: the date. */
export function formatRelative(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs > 30 * 86_400) return date.toLocaleDateString();
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'always', style: 'short' });
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'minute') return format.format(Math.round(seconds / size), unit);
  }
  return date.toLocaleString();
}

/**
 * A point in time: relative by default, with the absolute time as a tooltip and in the
 * machine-readable dateTime. Rendered on the server (relative to the request time).
 */
export function Time({ value, mode = 'relative' }: { value: string | Date; mode?: 'relative' | 'absolute' | 'both' }) {
  const date = typeof value === 'string' ? new Date(value) : value;
  const absolute = date.toLocaleString();
  const relative = formatRelative(date);
  return (
    <time dateTime={date.toISOString()} title={absolute} suppressHydrationWarning>
      {mode === 'absolute' ? absolute : mode === 'relative' ? relative : `${absolute} (${relative})`}
    </time>
  );
}
