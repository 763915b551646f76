import { describe, expect, it } from 'vitest';
import { createRandom } from '@/lib/demo/random';
import fixtures from './fixtures/bucket-verdict.json';
import { countBinsSorted, quantileEdges } from './bins';
import { applyBucketGuard, binsHomogeneity, categoricalBucketDrift, MIN_BUCKET_VALUES, numericBucketDrift } from './bucket-verdict';
import { datasetDrift, hasVerdict, type FeatureDrift } from './drift';
import { sortedSample } from './sample';
import { expectPValue, expectStatistic } from '@/test/expect-scipy';


/** What a rollup holds for a window of raw values: counts per reference decile bin. */
function binsOf(reference: readonly number[], current: readonly number[]) {
  const sortedReference = sortedSample(reference).sorted;
  const edges = quantileEdges(sortedReference);
  return { reference: countBinsSorted(edges, sortedReference), current: countBinsSorted(edges, sortedSample(current).sorted) };
}

/** The verdict a chart shows: null when the bucket has too few values. */
const verdictOf = (drift: FeatureDrift) => (drift.tooFewValues ? null : drift.drifted);

describe('numeric bucket verdicts against scipy', () => {
  it('keeps the minimum the fixtures were made with', () => {
    expect(MIN_BUCKET_VALUES).toBe(fixtures.minValues);
  });

  for (const fixture of fixtures.numeric) {
    it(fixture.name, () => {
      const bins = binsOf(fixture.reference, fixture.current);
      const expected = fixture.expected;
      expect(Array.from(bins.reference)).toEqual(expected.referenceBins);
      expect(Array.from(bins.current)).toEqual(expected.currentBins);
      const drift = numericBucketDrift('x', { bins: bins.reference, nNull: 0 }, { bins: bins.current, nNull: 0 });
      expect(drift).toMatchObject({ method: expected.method, threshold: expected.threshold, nCurrent: fixture.current.length });
      // The figures the chart draws are the distances, unchanged by the guard.
      expectStatistic(drift.psi, expected.psi);
      expectStatistic(drift.jensenShannon, expected.jensenShannon);
      expect(drift.psi! >= drift.threshold).toBe(expected.distanceDrifted);
      expectStatistic(drift.chiSquare?.statistic, expected.chiSquare.statistic);
      expectPValue(drift.chiSquare?.pValue, expected.chiSquare.pValue);
      expect(verdictOf(drift)).toBe(expected.drifted);
    });
  }
});

describe('categorical bucket verdicts against scipy', () => {
  for (const fixture of fixtures.categorical) {
    it(fixture.name, () => {
      const counts = (record: object) => ({ counts: new Map(Object.entries(record) as [string, number][]), nNull: 0 });
      const drift = categoricalBucketDrift('plan', counts(fixture.referenceCounts), counts(fixture.currentCounts));
      const expected = fixture.expected;
      expect(drift).toMatchObject({ method: expected.method, threshold: expected.threshold });
      expectStatistic(drift.psi, expected.psi);
      expectStatistic(drift.jensenShannon, expected.jensenShannon);
      expectStatistic(drift.chiSquare?.statistic, expected.chiSquare.statistic);
      expectPValue(drift.chiSquare?.pValue, expected.chiSquare.pValue);
      expect(verdictOf(drift)).toBe(expected.drifted);
    });
  }
});

describe('the guard on quiet hours', () => {
  const random = createRandom(20261121);
  const reference = Array.from({ length: 1000 }, () => random.normal(0, 1));
  const hours = (shift: number) =>
    Array.from({ length: 200 }, () => {
      const bins = binsOf(reference, Array.from({ length: 40 }, () => random.normal(shift, 1)));
      return numericBucketDrift('x', { bins: bins.reference, nNull: 0 }, { bins: bins.current, nNull: 0 });
    });

  it('flags at most 8 % of 200 hours of 40 values drawn from the reference distribution, where PSI alone flags most', () => {
    const quiet = hours(0);
    const psiAlone = quiet.filter((d) => d.psi! >= 0.2).length;
    const guarded = quiet.filter((d) => d.drifted).length;
    expect(psiAlone).toBeGreaterThan(100);
    expect(guarded).toBeLessThanOrEqual(16);
    expect(quiet.every(hasVerdict)).toBe(true);
  });

  it('still flags hours of 40 values shifted by one standard deviation', () => {
    const shifted = hours(1);
    expect(shifted.filter((d) => d.drifted).length).toBeGreaterThanOrEqual(190);
  });
});

describe('buckets with too few values', () => {
  const reference = Array.from({ length: 100 }, (_, i) => i);
  const bucket = (current: number[]) => {
    const bins = binsOf(reference, current);
    return numericBucketDrift('x', { bins: bins.reference, nNull: 0 }, { bins: bins.current, nNull: 3 });
  };

  it('keep their figures but have no verdict, and do not count in the dataset share', () => {
    const few = bucket(Array.from({ length: MIN_BUCKET_VALUES - 1 }, () => 500));
    expect(few).toMatchObject({ tooFewValues: true, drifted: false, nCurrent: MIN_BUCKET_VALUES - 1, nNull: 3 });
    expect(few.psi).toBeGreaterThan(1);
    expect(hasVerdict(few)).toBe(false);
    const enough = bucket(Array.from({ length: MIN_BUCKET_VALUES }, () => 500));
    expect(enough).toMatchObject({ drifted: true });
    expect(enough.tooFewValues).toBeUndefined();
    // One drifted feature with a verdict and one without: the share is of the first alone.
    expect(datasetDrift([few, enough])).toEqual({ share: 1, drifted: true });
    expect(datasetDrift([few])).toEqual({ share: 0, drifted: false });
  });

  it('an empty bucket has no statistics and is not marked as too few', () => {
    const empty = bucket([]);
    expect(empty.psi).toBeUndefined();
    expect(empty.tooFewValues).toBeUndefined();
    expect(hasVerdict(empty)).toBe(false);
  });
});

describe('binsHomogeneity and applyBucketGuard', () => {
  it('leaves out bins empty on both sides and refuses misaligned bins', () => {
    expect(binsHomogeneity([0, 10, 10], [0, 5, 15])).toEqual(binsHomogeneity([10, 10], [5, 15]));
    expect(binsHomogeneity([0, 40], [0, 40])).toEqual({ statistic: 0, pValue: 1 });
    expect(() => binsHomogeneity([1, 2], [1])).toThrow(RangeError);
  });

  it('needs the test for a distance verdict, and leaves a p-value verdict to its own test', () => {
    const distance: FeatureDrift = { name: 'x', type: 'numeric', method: 'psi', threshold: 0.2, drifted: true, nReference: 100, nCurrent: 50, nNull: 0, nNullReference: 0, psi: 0.5 };
    expect(() => applyBucketGuard(distance)).toThrow(RangeError);
    expect(applyBucketGuard(distance, { statistic: 30, pValue: 0.001 }).drifted).toBe(true);
    expect(applyBucketGuard(distance, { statistic: 3, pValue: 0.4 }).drifted).toBe(false);
    const test: FeatureDrift = { ...distance, type: 'categorical', method: 'chi_square', threshold: 0.05, psi: 0.01, chiSquare: { statistic: 9, pValue: 0.01 } };
    expect(applyBucketGuard(test).drifted).toBe(true);
  });
});
