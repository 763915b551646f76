/** The Monitoring tab's time ranges and the bucket each reads the rollups at. */
export const RANGES = [
  { key: '1h', label: 'Last hour', ms: 3_600_000 },
  { key: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 h', ms: 86_400_000 },
  { key: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 d', ms: 30 * 86_400_000 },
  { key: '90d', label: '90 d', ms: 90 * 86_400_000 },
] as const;

export type RangeKey = (typeof RANGES)[number]['key'] | 'custom';

/** Hourly buckets up to a week (≤ 168 points), UTC days beyond (≤ 366, the series' limit). */
export const HOURLY_UP_TO_MS = 7 * 86_400_000;
export const MAX_CUSTOM_DAYS = 366;

export interface Window {
  from: string;
  to: string;
  bucket: '1h' | '1d';
  /** True for a "last …" range: it moves with the clock and is refetched while open. */
  live: boolean;
}

export function bucketFor(spanMs: number): '1h' | '1d' {
  return spanMs <= HOURLY_UP_TO_MS ? '1h' : '1d';
}

/**
 * The window of a range at `now`, its end rounded up to the next minute so that queries made
 * within the same minute share a cache key. A custom range is taken as given (datetime-local
 * values, the browser's time zone).
 */
export function windowOf(range: RangeKey, now: number, custom?: { from: string; to: string }): Window | { error: string } {
  if (range === 'custom') {
    const from = Date.parse(custom?.from ?? '');
    const to = Date.parse(custom?.to ?? '');
    if (!Number.isFinite(from) || !Number.isFinite(to)) return { error: 'Pick a start and an end.' };
    if (from >= to) return { error: 'The start must be before the end.' };
    if (to - from > MAX_CUSTOM_DAYS * 86_400_000) return { error: `A custom range spans at most ${MAX_CUSTOM_DAYS} days.` };
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket: bucketFor(to - from), live: false };
  }
  const span = RANGES.find((r) => r.key === range)!.ms;
  const to = Math.ceil(now / 60_000) * 60_000;
  return { from: new Date(to - span).toISOString(), to: new Date(to).toISOString(), bucket: bucketFor(span), live: true };
}
