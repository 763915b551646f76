import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/drift.json';
import { chiSquareSurvival, kolmogorovSurvival, logGamma, regularizedGammaP, regularizedGammaQ } from './special';

describe('regularized incomplete gamma against scipy.special', () => {
  for (const { a, x, q, p } of fixtures.gammaincc) {
    it(`Q(${a}, ${x}) = ${q}`, () => {
      expect(Math.abs(regularizedGammaQ(a, x) - q)).toBeLessThanOrEqual(1e-10);
      expect(Math.abs(regularizedGammaP(a, x) - p)).toBeLessThanOrEqual(1e-10);
      // Far tails: the continued fraction keeps relative accuracy where 1e-10 absolute says nothing.
      if (q > 0 && q < 1e-10) expect(Math.abs(regularizedGammaQ(a, x) / q - 1)).toBeLessThanOrEqual(1e-8);
    });
  }

  it('rejects arguments outside its domain', () => {
    expect(() => regularizedGammaQ(0, 1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, -1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, NaN)).toThrow(RangeError);
  });

  it('gives chi-square tail probabilities through Q(k/2, x/2)', () => {
    // chi2.sf(3.841458820694124, 1) = 0.05 and chi2.sf(x, 2) = exp(-x/2).
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(7, 2)).toBeCloseTo(Math.exp(-3.5), 14);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('computes ln Γ accurately, including below 1/2', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
  });
});

describe('Kolmogorov survival function against scipy.stats.kstwobign.sf', () => {
  for (const { lambda, sf } of fixtures.kolmogorov) {
    it(`Q(${lambda}) = ${sf}`, () => {
      expect(Math.abs(kolmogorovSurvival(lambda) - sf)).toBeLessThanOrEqual(1e-12);
      if (sf > 0) expect(Math.abs(kolmogorovSurvival(lambda) / sf - 1)).toBeLessThanOrEqual(1e-9);
    });
  }
});
