/**
 * Two-sample statistics on sorted arrays, each one merge walk over both samples: O(n + m)
 * after the sorts, no allocation.
 */
import { kolmogorovSurvival } from './special';

export interface TestResult {
  statistic: number;
  pValue: number;
}

/**
 * D = sup |F_r − F_c| over the empirical CDFs (= scipy.stats.ks_2samp(r, c).statistic).
 * Both CDFs are right-continuous steps that change only at sample values, so the supremum is
 * the maximum over the pooled distinct values, each evaluated after all its ties.
 */
export function ksStatistic(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError('KS statistic needs two non-empty samples');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const a = reference[i]!;
    const b = current[j]!;
    const x = a <= b ? a : b;
    while (i < n && reference[i] === x) i++;
    while (j < m && current[j] === x) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  // Once one side is exhausted its CDF is 1 and the gap only shrinks from here.
  return d;
}

/** The asymptotic p-value Q(D·√(nm/(n+m))) (= scipy.stats.kstwobign.sf of that λ). */
export function ksPValue(statistic: number, n: number, m: number): number {
  return kolmogorovSurvival(statistic * Math.sqrt((n * m) / (n + m)));
}

export function ksTest(reference: ArrayLike<number>, current: ArrayLike<number>): TestResult {
  const statistic = ksStatistic(reference, current);
  return { statistic, pValue: ksPValue(statistic, reference.length, current.length) };
}

/**
 * First Wasserstein distance ∫ |F_r − F_c| dx (= scipy.stats.wasserstein_distance(r, c)):
 * between consecutive pooled values both CDFs are constant, so the integral is a sum of
 * rectangles. Neumaier summation keeps a million terms accurate to ~1e-15 relative.
 */
export function wassersteinDistance(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError('Wasserstein distance needs two non-empty samples');
  let i = 0;
  let j = 0;
  let sum = 0;
  let compensation = 0;
  while (i < n || j < m) {
    const a = i < n ? reference[i]! : Infinity;
    const b = j < m ? current[j]! : Infinity;
    const x = a <= b ? a : b;
    while (i < n && reference[i] === x) i++;
    while (j < m && current[j] === x) j++;
    if (i === n && j === m) break;
    const na = i < n ? reference[i]! : Infinity;
    const nb = j < m ? current[j]! : Infinity;
    const next = na <= nb ? na : nb;
    const term = Math.abs(i / n - j / m) * (next - x);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
  }
  return sum + compensation;
}
