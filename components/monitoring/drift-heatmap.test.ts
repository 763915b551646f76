import { describe, expect, it } from 'vitest';
import { cellState, cellTitle, shadeRatio, type HeatmapPoint } from './drift-heatmap';

const row = { name: 'age', threshold: 0.2 };
const point = (overrides: Partial<HeatmapPoint>): HeatmapPoint => ({ t: '2026-11-21T10:00:00Z', value: 0.25, drifted: false, method: 'psi', nCurrent: 40, chiSquarePValue: 0.6, ...overrides });

describe('drift heatmap cells', () => {
  it('tell an empty bucket, one with too few values, a drifted one and a clear one apart', () => {
    expect(cellState(point({ value: null, drifted: null, nCurrent: 0 }))).toBe('gap');
    expect(cellState(point({ value: 7.5, drifted: null, nCurrent: 12 }))).toBe('few');
    expect(cellState(point({ value: 0.6, drifted: true }))).toBe('drifted');
    expect(cellState(point({}))).toBe('clear');
  });

  it('colour only drifted cells past the threshold, and leave cells without a verdict uncoloured', () => {
    expect(shadeRatio(point({ value: 0.6, drifted: true }), 0.2)).toBeCloseTo(3, 12);
    // PSI 0.25 is past 0.2, but not drifted: shaded just below the threshold.
    expect(shadeRatio(point({}), 0.2)).toBeLessThan(1);
    expect(shadeRatio(point({ value: 0.1 }), 0.2)).toBeCloseTo(0.5, 12);
    expect(shadeRatio(point({ value: 7.5, drifted: null, nCurrent: 12 }), 0.2)).toBeNull();
    expect(shadeRatio(point({ value: null, drifted: null, nCurrent: 0 }), 0.2)).toBeNull();
  });

  it('explain a bucket without a verdict and a distance past its threshold that the test does not back', () => {
    expect(cellTitle(row, point({ value: 7.5, drifted: null, nCurrent: 12 }), 'at 10:00')).toBe(
      'age, at 10:00: too few values for a verdict (n=12, needs 30) — PSI 7.500 (threshold 0.2)',
    );
    expect(cellTitle(row, point({}), 'at 10:00')).toBe('age, at 10:00: PSI 0.250 (threshold 0.2), chi-square p 0.600 — within the noise of 40 values (p ≥ 0.05), n=40');
    expect(cellTitle(row, point({ value: 0.6, drifted: true, chiSquarePValue: 0.001 }), 'at 10:00')).toBe('age, at 10:00: PSI 0.600 (threshold 0.2), chi-square p 1.0e-3 — drifted, n=40');
    expect(cellTitle(row, point({ value: 0.05, chiSquarePValue: 0.9 }), 'at 10:00')).toBe('age, at 10:00: PSI 0.050 (threshold 0.2), chi-square p 0.900, n=40');
    // A test's p-value is the figure itself: not repeated.
    expect(cellTitle({ name: 'plan', threshold: 0.05 }, point({ method: 'chi_square', value: 0.01, drifted: true, chiSquarePValue: 0.01 }), 'at 10:00')).toBe(
      'plan, at 10:00: chi-square p 0.010 (threshold 0.05) — drifted, n=40',
    );
  });
});
