/** The performance response as the Monitoring tab's charts read it, pivoted one row per bucket. */
export interface PerformancePoint {
  t: string;
  count: number;
  [metric: string]: number | string | null;
}

export interface Performance {
  from: string;
  to: string;
  bucket: '1h' | '1d';
  versions: { version: number; points: PerformancePoint[] }[];
}

/**
 * Quality figures of a bucket with fewer labelled predictions than this are not drawn: while
 * labels trickle in, the newest hour's accuracy from one or two labels reads as a crash to 0 or
 * a jump to 1. The API and the CSV keep every bucket's figures with its `labeled` count.
 */
export const MIN_LABELED_POINT = 10;

/**
 * One row per bucket with a column per version (`v1`, `v2` …): versions side by side on one
 * chart. With `minLabeled`, a bucket with fewer labelled predictions is a gap.
 */
export function byVersion(performance: Performance, metric: string, minLabeled = 0): Record<string, number | null>[] {
  const first = performance.versions[0]?.points ?? [];
  return first.map((point, i) => {
    const row: Record<string, number | null> = { t: Date.parse(point.t) };
    for (const v of performance.versions) {
      const value = v.points[i]?.[metric];
      const labeled = v.points[i]?.labeled;
      const enough = minLabeled === 0 || (typeof labeled === 'number' && labeled >= minLabeled);
      row[`v${v.version}`] = typeof value === 'number' && enough ? value : null;
    }
    return row;
  });
}
