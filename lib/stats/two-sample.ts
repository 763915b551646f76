/**
 * Two-sample statistics on sorted arrays. KS and Wasserstein both read the gap F_r − F_c
 * between the empirical CDFs at each pooled distinct value, so one merge walk over the two
 * samples gives both: O(n + m) after the sorts, no allocation.
 */
import { kolmogorovSurvival } from './special';

export interface TestResult {
  statistic: number;
  pValue: number;
}

export interface CdfComparison {
  /** sup |F_r − F_c| (= scipy.stats.ks_2samp(r, c).statistic). */
  ksStatistic: number;
  /** ∫ |F_r − F_c| dx (= scipy.stats.wasserstein_distance(r, c)). */
  wasserstein: number;
}

/**
 * Both CDFs are right-continuous steps that change only at sample values, so the KS
 * supremum is the maximum over the pooled distinct values, each evaluated after all its
 * ties, and between consecutive pooled values the Wasserstein integrand is constant: the
 * integral is a sum of rectangles. Neumaier summation keeps a million terms accurate to
 * ~1e-15 relative.
 */
export function compareSorted(reference: ArrayLike<number>, current: ArrayLike<number>): CdfComparison {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError('two-sample statistics need two non-empty samples');
  let i = 0;
  let j = 0;
  let d = 0;
  let sum = 0;
  let compensation = 0;
  let x = Math.min(reference[0]!, current[0]!);
  for (;;) {
    while (i < n && reference[i] === x) i++;
    while (j < m && current[j] === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
    if (i === n && j === m) break;
    const a = i < n ? reference[i]! : Infinity;
    const b = j < m ? current[j]! : Infinity;
    const next = a <= b ? a : b;
    const term = gap * (next - x);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    x = next;
  }
  return { ksStatistic: d, wasserstein: sum + compensation };
}

export function ksStatistic(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return compareSorted(reference, current).ksStatistic;
}

export function wassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return compareSorted(reference, current).wasserstein;
}

/** The asymptotic p-value Q(D·√(nm/(n+m))) (= scipy.stats.kstwobign.sf of that λ). */
export function ksPValue(statistic: number, n: number, m: number): number {
  return kolmogorovSurvival(statistic * Math.sqrt((n * m) / (n + m)));
}
