import { expect } from 'vitest';

/** Statistics must match scipy's figures to 1e-9 (relative for values above 1). */
export function expectStatistic(actual: number | undefined, expected: number) {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/** p-values must match scipy's to 1e-6 (absolute). */
export function expectPValue(actual: number | undefined, expected: number) {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-6);
}
