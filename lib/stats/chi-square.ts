/** Chi-square test of homogeneity between the reference's and the current window's category counts. */
import { chiSquareSurvival } from './special';
import type { TestResult } from './two-sample';

/**
 * scipy.stats.chi2_contingency on the 2×K table [reference; current] with its defaults:
 * expected = row total × column total / grand total; Yates' continuity correction (each
 * |observed − expected| reduced by at most 0.5) only when there is one degree of freedom
 * (K = 2); K = 1 gives statistic 0, p-value 1. Every column must have a count on one side.
 */
export function chiSquareFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): TestResult {
  const k = reference.length;
  if (current.length !== k) throw new RangeError(`category counts differ in length: ${k} reference, ${current.length} current`);
  let n = 0;
  let m = 0;
  for (let i = 0; i < k; i++) {
    if (reference[i]! + current[i]! <= 0) throw new RangeError(`category ${i} has no count on either side`);
    n += reference[i]!;
    m += current[i]!;
  }
  if (n === 0 || m === 0) throw new RangeError('chi-square needs counts on both sides');
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1 };
  const grand = n + m;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const column = reference[i]! + current[i]!;
    statistic += cell(reference[i]!, (n * column) / grand, dof);
    statistic += cell(current[i]!, (m * column) / grand, dof);
  }
  return { statistic, pValue: chiSquareSurvival(statistic, dof) };
}

function cell(observed: number, expected: number, dof: number): number {
  let o = observed;
  if (dof === 1) {
    const diff = expected - o;
    o += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
  }
  return ((o - expected) * (o - expected)) / expected;
}
