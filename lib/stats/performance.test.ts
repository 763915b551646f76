import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRegressionSums,
  classificationMetrics,
  confusionCounts,
  countsAtThreshold,
  logLoss,
  metricsFromCounts,
  metricsFromRegressionSums,
  regressionMetrics,
  regressionSums,
  rocAuc,
  type ConfusionCounts,
} from './performance';

interface Fixtures {
  classification: {
    name: string;
    labels: number[];
    scores: number[];
    threshold: number;
    counts: ConfusionCounts;
    expected: Record<string, number | null>;
  }[];
  regression: { name: string; truth: number[]; predicted: number[]; expected: Record<string, number | null> }[];
}

// Figures from numpy/scipy: lib/stats/fixtures/make_performance.py.
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/performance.json', import.meta.url), 'utf8')) as Fixtures;

function expectFigures(actual: object, expected: Record<string, number | null>) {
  const values = actual as Record<string, number | null>;
  for (const [key, figure] of Object.entries(expected)) {
    if (figure === null) expect(values[key], key).toBeNull();
    else expect(Math.abs(values[key]! - figure), `${key}: ${values[key]} vs ${figure}`).toBeLessThanOrEqual(1e-9);
  }
}

describe('classification metrics against numpy/scipy', () => {
  it.each(fixtures.classification.map((c) => [c.name, c] as const))('%s', (_, fixture) => {
    expect(countsAtThreshold(fixture.labels, fixture.scores, fixture.threshold)).toEqual(fixture.counts);
    expectFigures(classificationMetrics(fixture.labels, fixture.scores, fixture.threshold), fixture.expected);
    expectFigures(metricsFromCounts(fixture.counts), {
      accuracy: fixture.expected.accuracy!,
      precision: fixture.expected.precision!,
      recall: fixture.expected.recall!,
      f1: fixture.expected.f1!,
    });
  });
});

describe('regression metrics against numpy', () => {
  it.each(fixtures.regression.map((c) => [c.name, c] as const))('%s', (_, fixture) => {
    expectFigures(regressionMetrics(fixture.truth, fixture.predicted), fixture.expected);
  });

  it.each(fixtures.regression.map((c) => [c.name, c] as const))('%s, from rollup sums of two halves', (_, fixture) => {
    const half = Math.floor(fixture.truth.length / 2);
    const sums = addRegressionSums(
      regressionSums(fixture.truth.slice(0, half), fixture.predicted.slice(0, half)),
      regressionSums(fixture.truth.slice(half), fixture.predicted.slice(half)),
    );
    expectFigures(metricsFromRegressionSums(sums), fixture.expected);
  });
});

describe('edge cases', () => {
  it('calls precision undefined (null, not 0) when nothing is predicted positive, while recall and F1 are 0', () => {
    expect(metricsFromCounts({ tp: 0, fp: 0, tn: 90, fn: 10 })).toEqual({ accuracy: 0.9, precision: null, recall: 0, f1: 0 });
  });

  it('calls everything undefined for an empty window', () => {
    expect(metricsFromCounts({ tp: 0, fp: 0, tn: 0, fn: 0 })).toEqual({ accuracy: null, precision: null, recall: null, f1: null });
    expect(classificationMetrics([], [])).toMatchObject({ count: 0, auc: null, logLoss: null, accuracy: null });
    expect(regressionMetrics([], [])).toEqual({ count: 0, mae: null, rmse: null, r2: null });
  });

  it('gives no AUC with one class only', () => {
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNull();
    expect(rocAuc([0, 0], [0.2, 0.5])).toBeNull();
  });

  it('counts a tie between a positive and a negative as one half', () => {
    expect(rocAuc([0, 1], [0.4, 0.4])).toBe(0.5);
    expect(rocAuc([0, 1, 0, 1], [0.1, 0.4, 0.4, 0.9])).toBe(0.875);
  });

  it('keeps the log loss of a confident mistake finite', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 9);
  });

  it('finds a constant truth even when its mean does not round-trip', () => {
    expect(regressionMetrics([0.1, 0.1, 0.1], [0.1, 0.2, 0.3]).r2).toBeNull();
    expect(metricsFromRegressionSums(regressionSums([0.1, 0.1, 0.1], [0.1, 0.2, 0.3])).r2).toBeNull();
  });

  it('refuses inputs that are not what they claim to be', () => {
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow(/0 or 1; label 1 is 2/);
    expect(() => logLoss([0, 1], [0.1, 1.2])).toThrow(/within \[0, 1\]/);
    expect(() => classificationMetrics([0, 1], [0.1])).toThrow(/as many values as labels \(2\), got 1/);
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow(/finite/);
    expect(() => regressionMetrics([1, Infinity], [1, 2])).toThrow(/finite/);
    expect(() => metricsFromCounts({ tp: -1, fp: 0, tn: 0, fn: 0 })).toThrow(/non-negative integer/);
    expect(() => confusionCounts([1], [0.5])).toThrow(/0 or 1/);
  });
});

describe('properties', () => {
  const scored = fc.array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 20 }).map((v) => v / 20)), { maxLength: 60 });

  it('AUC is the share of (positive, negative) pairs ranked right, ties counting one half', () => {
    fc.assert(
      fc.property(scored, (pairs) => {
        const positives = pairs.filter(([y]) => y === 1).map(([, s]) => s);
        const negatives = pairs.filter(([y]) => y === 0).map(([, s]) => s);
        let wins = 0;
        for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
        const auc = rocAuc(pairs.map(([y]) => y), pairs.map(([, s]) => s));
        if (positives.length === 0 || negatives.length === 0) expect(auc).toBeNull();
        else expect(auc).toBeCloseTo(wins / (positives.length * negatives.length), 12);
      }),
    );
  });

  it('F1 is the harmonic mean of precision and recall wherever both are defined and positive', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), (tp, fp, tn, fn) => {
        const { precision, recall, f1 } = metricsFromCounts({ tp, fp, tn, fn });
        if (precision && recall) expect(f1).toBeCloseTo((2 * precision * recall) / (precision + recall), 12);
      }),
    );
  });
});
