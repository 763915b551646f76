import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/drift.json';
import { quantileEdges, countBinsSorted } from './bins';
import {
  categoricalDrift,
  categoryCounts,
  categoricalDriftFromCounts,
  datasetDrift,
  detectDrift,
  mergeCategoryCounts,
  numericDrift,
  type FeatureDrift,
} from './drift';
import { countNumericCurrent, ksStatisticFromCounts, mergeNumericCounts, numericDriftFromCounts, numericReferenceProfile } from './drift-counts';
import { sortedSample } from './sample';
import { ksStatistic } from './two-sample';
import { expectPValue, expectStatistic } from '@/test/expect-scipy';


describe('numeric drift against scipy', () => {
  for (const fixture of fixtures.numeric) {
    it(fixture.name, () => {
      const result = numericDrift(fixture.name, fixture.reference, fixture.current);
      expect(result).toMatchObject({ nReference: fixture.nReference, nCurrent: fixture.nCurrent, nNull: fixture.nNull });
      const expected = fixture.expected;
      if (!expected) {
        expect(result.drifted).toBe(false);
        for (const key of ['ks', 'psi', 'jensenShannon', 'wasserstein', 'wassersteinNormed'] as const) expect(result[key]).toBeUndefined();
        return;
      }
      const reference = sortedSample(fixture.reference).sorted;
      const edges = quantileEdges(reference);
      // Bit-for-bit numpy edges: a value sitting on an edge must land in numpy's bin.
      expect(Array.from(edges)).toEqual(expected.edges);
      expect(Array.from(countBinsSorted(edges, reference))).toEqual(expected.referenceBins);
      expect(Array.from(countBinsSorted(edges, sortedSample(fixture.current).sorted))).toEqual(expected.currentBins);
      expectStatistic(result.ks?.statistic, expected.ks.statistic);
      expectPValue(result.ks?.pValue, expected.ks.pValue);
      expectStatistic(result.psi, expected.psi);
      expectStatistic(result.jensenShannon, expected.jensenShannon);
      expectStatistic(result.wasserstein, expected.wasserstein);
      expectStatistic(result.wassersteinNormed, expected.wassersteinNormed);
      expect(result).toMatchObject({ method: expected.method, threshold: expected.threshold, drifted: expected.drifted });
    });
  }
});

describe('numeric drift from counts gives the raw figures', () => {
  for (const fixture of fixtures.numeric) {
    it(fixture.name, () => {
      const profile = numericReferenceProfile(fixture.reference);
      // Two windows counted apart and merged, as hourly rollups would be.
      const half = Math.floor(fixture.current.length / 2);
      const counts = mergeNumericCounts(
        countNumericCurrent(profile, fixture.current.slice(0, half)),
        countNumericCurrent(profile, fixture.current.slice(half)),
      );
      const result = numericDriftFromCounts(fixture.name, profile, counts, { method: 'ks' });
      expect(result).toMatchObject({ nReference: fixture.nReference, nCurrent: fixture.nCurrent, nNull: fixture.nNull });
      const expected = fixture.expected;
      if (!expected) {
        expect(result.ks).toBeUndefined();
        return;
      }
      expectStatistic(result.ks?.statistic, expected.ks.statistic);
      expectPValue(result.ks?.pValue, expected.ks.pValue);
      expectStatistic(result.psi, expected.psi);
      expectStatistic(result.jensenShannon, expected.jensenShannon);
      expect(result.wasserstein).toBeUndefined();
    });
  }

  it('equals the raw KS statistic on any samples, ties included', () => {
    const values = fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -5, max: 5, noNaN: true })), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(values, values, (reference, current) => {
        const profile = numericReferenceProfile(reference);
        const raw = ksStatistic(sortedSample(reference).sorted, sortedSample(current).sorted);
        expect(ksStatisticFromCounts(profile, countNumericCurrent(profile, current))).toBe(raw);
      }),
    );
  });

  it('tells a current value equal to a reference value from one just above it', () => {
    const profile = numericReferenceProfile([0]);
    expect(ksStatisticFromCounts(profile, countNumericCurrent(profile, [0]))).toBe(0);
    expect(ksStatisticFromCounts(profile, countNumericCurrent(profile, [0.5]))).toBe(1);
    expect(ksStatisticFromCounts(profile, countNumericCurrent(profile, [-0.5]))).toBe(1);
  });

  it('finds the largest gap inside an interval between reference values', () => {
    // F_c reaches 1 at 0.5 while F_r is still 1/4: D = 3/4, attained between the reference values.
    const profile = numericReferenceProfile([0, 1, 1, 1]);
    expect(ksStatisticFromCounts(profile, countNumericCurrent(profile, [0.5]))).toBe(0.75);
  });

  it('refuses Wasserstein from counts, which needs raw values', () => {
    const large = Array.from({ length: 1500 }, (_, i) => i);
    const profile = numericReferenceProfile(large);
    expect(() => numericDriftFromCounts('x', profile, countNumericCurrent(profile, [1, 2, 3]))).toThrow(/raw values/);
    expect(numericDriftFromCounts('x', profile, countNumericCurrent(profile, [1, 2, 3]), { method: 'psi' }).method).toBe('psi');
  });

  it('refuses counts taken against another profile', () => {
    const a = numericReferenceProfile([1, 2, 3]);
    const b = numericReferenceProfile([1, 2]);
    expect(() => mergeNumericCounts(countNumericCurrent(a, [1]), countNumericCurrent(b, [1]))).toThrow(/different reference/);
    expect(() => ksStatisticFromCounts(a, countNumericCurrent(b, [1]))).toThrow(/different reference/);
  });
});

describe('categorical drift against scipy', () => {
  for (const fixture of fixtures.categorical) {
    it(fixture.name, () => {
      const result = categoricalDrift(fixture.name, fixture.reference, fixture.current);
      expect(result).toMatchObject({ nReference: fixture.nReference, nCurrent: fixture.nCurrent, nNull: fixture.nNull });
      const expected = fixture.expected;
      if (!expected) {
        expect(result.drifted).toBe(false);
        expect(result.chiSquare).toBeUndefined();
        expect(result.psi).toBeUndefined();
        return;
      }
      expectStatistic(result.chiSquare?.statistic, expected.chiSquare.statistic);
      expectPValue(result.chiSquare?.pValue, expected.chiSquare.pValue);
      expectStatistic(result.psi, expected.psi);
      expectStatistic(result.jensenShannon, expected.jensenShannon);
      expect(result).toMatchObject({ method: expected.method, threshold: expected.threshold, drifted: expected.drifted });

      const half = Math.floor(fixture.current.length / 2);
      const merged = mergeCategoryCounts(categoryCounts(fixture.current.slice(0, half)), categoryCounts(fixture.current.slice(half)));
      expect(categoricalDriftFromCounts(fixture.name, categoryCounts(fixture.reference), merged)).toEqual(result);
    });
  }
});

describe('decision', () => {
  const shifted = { reference: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], current: [6, 7, 8, 9, 10, 11, 12, 13, 14, 15] };

  it('uses the per-feature method and threshold when given', () => {
    const byDefault = numericDrift('f', shifted.reference, shifted.current);
    expect(byDefault.method).toBe('ks');
    const lenient = numericDrift('f', shifted.reference, shifted.current, { method: 'ks', threshold: 0.001 });
    expect(lenient.drifted).toBe(false);
    expect(byDefault.ks!.pValue).toBeGreaterThan(0.001);
    const byPsi = numericDrift('f', shifted.reference, shifted.current, { method: 'psi', threshold: 100 });
    expect(byPsi).toMatchObject({ method: 'psi', threshold: 100, drifted: false });
    expect(numericDrift('f', shifted.reference, shifted.current, { method: 'psi' })).toMatchObject({ threshold: 0.2, drifted: true });
  });

  it('rejects a method of the other feature type and thresholds out of range', () => {
    // @ts-expect-error chi-square is a categorical method
    expect(() => numericDrift('f', [1], [2], { method: 'chi_square' })).toThrow(/not a drift method for numeric/);
    expect(() => numericDrift('f', [1], [2], { method: 'ks', threshold: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => categoricalDrift('f', ['a'], ['b'], { method: 'psi', threshold: -1 })).toThrow(/≥ 0/);
  });

  it('calls the dataset drifted when at least half of the evaluated features drift', () => {
    const feature = (drifted: boolean): FeatureDrift =>
      numericDrift('f', shifted.reference, drifted ? shifted.current : shifted.reference, { method: 'psi' });
    const empty = numericDrift('empty', [1, 2], [null, null]);
    expect(datasetDrift([feature(true), feature(false)])).toEqual({ share: 0.5, drifted: true });
    expect(datasetDrift([feature(true), feature(false), feature(false)])).toEqual({ share: 1 / 3, drifted: false });
    // A feature whose window is empty has no statistics: it neither drifts nor counts.
    expect(datasetDrift([feature(true), empty])).toEqual({ share: 1, drifted: true });
    expect(datasetDrift([empty])).toEqual({ share: 0, drifted: false });
  });

  it('reports prediction drift apart from the dataset share', () => {
    const report = detectDrift({
      features: [
        { name: 'age', type: 'numeric', reference: shifted.reference, current: shifted.reference },
        { name: 'country', type: 'categorical', reference: ['fr', 'de', 'fr'], current: ['fr', 'de', null], method: 'jensen_shannon' },
      ],
      prediction: { name: 'score', type: 'numeric', reference: shifted.reference, current: shifted.current, method: 'psi' },
    });
    expect(report.features.map((f) => [f.name, f.drifted])).toEqual([
      ['age', false],
      ['country', true],
    ]);
    expect(report.features[1]!.nNull).toBe(1);
    expect(report.prediction).toMatchObject({ name: 'score', drifted: true });
    expect(report.datasetDrift).toEqual({ share: 0.5, drifted: true });
  });
});
