/**
 * Binned comparisons: PSI and Jensen–Shannon on the reference's decile edges (numeric) or on
 * categories. Everything here takes counts, so stored rollups give the same numbers as raw
 * values.
 */
import { quantileSorted } from './sample';

export const EDGE_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

/** Share given to an empty bin in PSI, so that ln(c/r) stays finite (Evidently's convention). */
export const PSI_EMPTY_SHARE = 1e-4;

/**
 * Bin edges: the reference's 10%…90% quantiles (numpy's linear method), duplicates collapsed.
 * k edges make k + 1 bins; value x is in bin i when e_{i−1} ≤ x < e_i, the outer bins open.
 */
export function quantileEdges(sortedReference: ArrayLike<number>): Float64Array {
  const edges: number[] = [];
  for (const q of EDGE_QUANTILES) {
    const e = quantileSorted(sortedReference, q);
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  return Float64Array.from(edges);
}

/** The bin of x: the number of edges ≤ x (numpy.searchsorted(edges, x, side='right')). */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per bin of ascending values: one walk instead of a search per value. */
export function countBinsSorted(edges: ArrayLike<number>, sorted: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!;
    while (bin < edges.length && edges[bin]! <= x) bin++;
    counts[bin]!++;
  }
  return counts;
}

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i]!;
  return sum;
}

function checkAligned(reference: ArrayLike<number>, current: ArrayLike<number>) {
  if (reference.length !== current.length) {
    throw new RangeError(`bin counts differ in length: ${reference.length} reference, ${current.length} current`);
  }
}

/**
 * Population stability index Σ (c_i − r_i)·ln(c_i / r_i) over the bins' shares; a share of
 * an empty bin is taken as 1e-4 (shares are not renormalised afterwards).
 */
export function psiFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  checkAligned(reference, current);
  const n = total(reference);
  const m = total(current);
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] === 0 ? PSI_EMPTY_SHARE : reference[i]! / n;
    const c = current[i] === 0 ? PSI_EMPTY_SHARE : current[i]! / m;
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/** x·ln(x/y) with the limits scipy.special.rel_entr uses (0·ln 0 = 0). */
function relativeEntropyTerm(x: number, y: number): number {
  if (x === 0) return 0;
  return x * Math.log(x / y);
}

/**
 * Jensen–Shannon distance in base 2 between the two bins' distributions
 * (= scipy.spatial.distance.jensenshannon(r, c, base=2)): 0 for equal shares, 1 for
 * disjoint support. No floor for empty bins: the mixture is never zero where a side is not.
 */
export function jensenShannonFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  checkAligned(reference, current);
  const n = total(reference);
  const m = total(current);
  let left = 0;
  let right = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i]! / n;
    const q = current[i]! / m;
    const mix = (p + q) / 2;
    left += relativeEntropyTerm(p, mix);
    right += relativeEntropyTerm(q, mix);
  }
  const js = (left + right) / Math.LN2;
  // Rounding can leave a hair below zero for identical distributions.
  return Math.sqrt(Math.max(0, js / 2));
}
