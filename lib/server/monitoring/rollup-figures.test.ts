import { describe, expect, it } from 'vitest';
import { rocAuc } from '@/lib/stats/performance';
import type { BucketCells } from './read-rollups';
import { columnDrift, operationFigures, performanceFigures } from './rollup-figures';

const bucket = (series: Record<string, Record<string, number>>): BucketCells =>
  new Map(Object.entries(series).map(([name, cells]) => [name, new Map(Object.entries(cells))]));

describe('performanceFigures', () => {
  it('counts the diagonal as correct even when class names contain "|", and leaves binary-only figures null', () => {
    const figures = performanceFigures(bucket({ labels: { n: 6, 'cm:a|b|a|b': 3, 'cm:a|b|c': 1, 'cm:c|c': 2 } }));
    expect(figures.accuracy).toBeCloseTo(5 / 6, 12);
    expect([figures.precision, figures.recall, figures.f1]).toEqual([null, null, null]);
  });

  it('ranks score histograms with ties inside a bin, like rocAuc on scores tied in the same way', () => {
    // Positives at 0.725 (×2) and 0.325; negatives at 0.325 and 0.125.
    const figures = performanceFigures(bucket({ labels: { n: 5, 'score:1|14': 2, 'score:1|6': 1, 'score:0|6': 1, 'score:0|2': 1 } }));
    expect(figures.auc).toBeCloseTo(rocAuc([1, 1, 1, 0, 0], [0.725, 0.725, 0.325, 0.325, 0.125])!, 12);
    expect(performanceFigures(bucket({ labels: { n: 2, 'score:1|3': 1, 'score:yes|3': 1 } })).auc).toBeNull();
  });

  it('is all null for a bucket without labels', () => {
    const figures = performanceFigures(new Map());
    expect(Object.entries(figures).filter(([key, value]) => key !== 'labeled' && value !== null)).toEqual([]);
  });
});

describe('operationFigures', () => {
  it('has no rate and no percentile for an empty bucket', () => {
    expect(operationFigures(new Map())).toMatchObject({ count: 0, errorRate: null, p50: null, p99: null });
  });
});

describe('columnDrift', () => {
  const profile = { type: 'numeric' as const, profile: { n: 10, nNull: 0, values: [], multiplicities: [], edges: [5], bins: [5, 5], std: 1 } };

  it('gives no statistics when some records of the bucket were counted before the reference had bins', () => {
    const drift = columnDrift('x', 'numeric', profile, new Map(Object.entries({ n: 10, 'bin:0': 4, 'bin:1': 2 })));
    expect(drift).toMatchObject({ nCurrent: 10, drifted: false });
    expect(drift.psi).toBeUndefined();
  });

  it('decides on PSI over the reference bins, backed by the chi-square test on them', () => {
    const drift = columnDrift('x', 'numeric', profile, new Map(Object.entries({ n: 40, 'bin:0': 40 })));
    expect(drift).toMatchObject({ method: 'psi', threshold: 0.2, drifted: true });
    expect(drift.chiSquare!.pValue).toBeLessThan(0.05);
    // PSI 0.27, but against a reference of 10 values the test does not reject: not drifted.
    const quiet = columnDrift('x', 'numeric', profile, new Map(Object.entries({ n: 40, 'bin:0': 30, 'bin:1': 10 })));
    expect(quiet.psi).toBeGreaterThan(0.2);
    expect(quiet).toMatchObject({ drifted: false });
  });

  it('has no verdict below the minimum count, figures kept', () => {
    const drift = columnDrift('x', 'numeric', profile, new Map(Object.entries({ n: 10, 'bin:0': 10 })));
    expect(drift).toMatchObject({ tooFewValues: true, drifted: false });
    expect(drift.psi).toBeGreaterThan(1);
  });
});
