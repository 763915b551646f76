/**
 * Downsampling of time series for charts, on the server: a few hundred points reach the
 * browser whatever the window's length.
 *
 * - minMaxDownsample keeps each bucket's lowest and highest point (in time order), so a
 *   one-sample spike that fired an alert is still on the chart.
 * - lttb (Largest-Triangle-Three-Buckets, Steinarsson 2013) keeps the points that best
 *   preserve the line's visual shape; better for smooth series.
 *
 * Both select original points (never invent values), keep each run's first and last point,
 * return at most `target` points, and keep gaps: a null value stays a null at its place
 * (one per run of nulls), so a chart breaks the line there instead of interpolating.
 * Points must be in ascending time order.
 */

export interface SeriesPoint {
  t: number;
  v: number | null;
}

type Selector = <P extends SeriesPoint>(points: readonly P[], from: number, to: number, budget: number, out: P[]) => void;

export function minMaxDownsample<P extends SeriesPoint>(points: readonly P[], target: number): P[] {
  return downsample(points, target, selectMinMax);
}

export function lttb<P extends SeriesPoint>(points: readonly P[], target: number): P[] {
  return downsample(points, target, selectLttb);
}

function downsample<P extends SeriesPoint>(points: readonly P[], target: number, select: Selector): P[] {
  if (!Number.isInteger(target) || target < 1) throw new RangeError(`target must be a positive integer, got ${target}`);
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.t < points[i - 1]!.t) throw new RangeError('points must be in ascending time order');
  }
  if (points.length <= target) return points.slice();

  // Runs of non-null values [from, to) and the gaps between them.
  const runs: Array<[number, number]> = [];
  let gaps = 0;
  for (let i = 0; i < points.length; ) {
    const isNull = points[i]!.v === null;
    let j = i + 1;
    while (j < points.length && (points[j]!.v === null) === isNull) j++;
    if (isNull) gaps++;
    else runs.push([i, j]);
    i = j;
  }
  const budget = target - gaps;
  if (budget < runs.length) return coarse(points, target);

  // One point per run first, the rest shared in proportion to each run's length.
  let spare = 0;
  for (const [from, to] of runs) spare += to - from - 1;
  const extra = budget - runs.length;
  const out: P[] = [];
  let run = 0;
  for (let i = 0; i < points.length; ) {
    if (points[i]!.v === null) {
      out.push(points[i]!);
      while (i < points.length && points[i]!.v === null) i++;
      continue;
    }
    const [from, to] = runs[run++]!;
    const share = spare === 0 ? 0 : Math.floor((extra * (to - from - 1)) / spare);
    const allowed = 1 + share;
    if (allowed >= to - from) for (let k = from; k < to; k++) out.push(points[k]!);
    else select(points, from, to, allowed, out);
    i = to;
  }
  return out;
}

/** The point of [from, to) farthest from their mean: one point that still shows a spike. */
function extreme<P extends SeriesPoint>(points: readonly P[], from: number, to: number): number {
  let sum = 0;
  for (let k = from; k < to; k++) sum += points[k]!.v!;
  const mean = sum / (to - from);
  let best = from;
  for (let k = from + 1; k < to; k++) {
    if (Math.abs(points[k]!.v! - mean) > Math.abs(points[best]!.v! - mean)) best = k;
  }
  return best;
}

function selectMinMax<P extends SeriesPoint>(points: readonly P[], from: number, to: number, budget: number, out: P[]) {
  if (budget === 1) {
    out.push(points[extreme(points, from, to)]!);
    return;
  }
  out.push(points[from]!);
  const inner = to - from - 2;
  const buckets = Math.floor((budget - 2) / 2);
  for (let b = 0; b < buckets; b++) {
    const start = from + 1 + Math.floor((b * inner) / buckets);
    const end = from + 1 + Math.floor(((b + 1) * inner) / buckets);
    if (start >= end) continue;
    let low = start;
    let high = start;
    for (let k = start + 1; k < end; k++) {
      const v = points[k]!.v!;
      if (v < points[low]!.v!) low = k;
      if (v > points[high]!.v!) high = k;
    }
    if (low === high) out.push(points[low]!);
    else if (low < high) out.push(points[low]!, points[high]!);
    else out.push(points[high]!, points[low]!);
  }
  out.push(points[to - 1]!);
}

function selectLttb<P extends SeriesPoint>(points: readonly P[], from: number, to: number, budget: number, out: P[]) {
  if (budget === 1) {
    out.push(points[extreme(points, from, to)]!);
    return;
  }
  out.push(points[from]!);
  const buckets = budget - 2;
  const inner = to - from - 2;
  const bucketStart = (b: number) => from + 1 + Math.floor((b * inner) / buckets);
  let selected = from;
  for (let b = 0; b < buckets; b++) {
    const start = bucketStart(b);
    const end = bucketStart(b + 1);
    // The third vertex: the average of the next bucket (the last point after the final bucket).
    const nextStart = end;
    const nextEnd = b + 1 < buckets ? bucketStart(b + 2) : to;
    let avgT = 0;
    let avgV = 0;
    for (let k = nextStart; k < nextEnd; k++) {
      avgT += points[k]!.t;
      avgV += points[k]!.v!;
    }
    avgT /= nextEnd - nextStart;
    avgV /= nextEnd - nextStart;
    const a = points[selected]!;
    let bestArea = -1;
    let best = start;
    for (let k = start; k < end; k++) {
      const p = points[k]!;
      const area = Math.abs((a.t - avgT) * (p.v! - a.v!) - (a.t - p.t) * (avgV - a.v!));
      if (area > bestArea) {
        bestArea = area;
        best = k;
      }
    }
    out.push(points[best]!);
    selected = best;
  }
  out.push(points[to - 1]!);
}

/**
 * More gaps than the target allows: equal buckets of the whole series, each a null when it
 * holds any null (the gap stays visible, coarser) or else its most extreme point.
 */
function coarse<P extends SeriesPoint>(points: readonly P[], target: number): P[] {
  const out: P[] = [];
  for (let b = 0; b < target; b++) {
    const start = Math.floor((b * points.length) / target);
    const end = Math.floor(((b + 1) * points.length) / target);
    let gap = -1;
    for (let k = start; k < end && gap < 0; k++) if (points[k]!.v === null) gap = k;
    out.push(points[gap >= 0 ? gap : extreme(points, start, end)]!);
  }
  return out;
}
