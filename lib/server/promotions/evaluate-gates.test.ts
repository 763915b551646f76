import { describe, expect, it } from 'vitest';
import type { MetricGate } from '@/lib/validation/registry';
import { checkMetricGate, failedGates } from './evaluate-gates';

const higherIsBetter: MetricGate = { metric: 'accuracy', comparator: '>=', tolerance: 0.01, enabled: true };
const lowerIsBetter: MetricGate = { metric: 'rmse', comparator: '<=', tolerance: 0.5, enabled: true };

describe('checkMetricGate with >= (higher is better)', () => {
  it('passes a better candidate', () => {
    expect(checkMetricGate(higherIsBetter, 0.95, 0.9)).toMatchObject({ gate: 'metric:accuracy', status: 'passed', actual: 0.95 });
  });

  it('passes a slightly worse candidate within the tolerance, and one exactly at the bound', () => {
    expect(checkMetricGate(higherIsBetter, 0.895, 0.9).status).toBe('passed');
    const atBound = checkMetricGate({ ...higherIsBetter, tolerance: 0.25 }, 0.5, 0.75);
    expect(atBound).toMatchObject({ status: 'passed', expected: 0.5 });
  });

  it('fails a candidate worse than live minus the tolerance, with the numbers', () => {
    const result = checkMetricGate(higherIsBetter, 0.8, 0.9);
    expect(result.status).toBe('failed');
    expect(result.actual).toBe(0.8);
    expect(result.expected).toBeCloseTo(0.89, 10);
    expect(result.detail).toContain('0.8');
    expect(result.detail).toContain('0.89');
  });

  it('with tolerance 0 requires at least the live value', () => {
    const strict = { ...higherIsBetter, tolerance: 0 };
    expect(checkMetricGate(strict, 0.9, 0.9).status).toBe('passed');
    expect(checkMetricGate(strict, 0.8999, 0.9).status).toBe('failed');
  });
});

describe('checkMetricGate with <= (lower is better)', () => {
  it('passes a lower candidate and one within the tolerance above live', () => {
    expect(checkMetricGate(lowerIsBetter, 9, 10).status).toBe('passed');
    expect(checkMetricGate(lowerIsBetter, 10.4, 10).status).toBe('passed');
    expect(checkMetricGate(lowerIsBetter, 10.5, 10)).toMatchObject({ status: 'passed', expected: 10.5 });
  });

  it('fails a candidate above live plus the tolerance', () => {
    expect(checkMetricGate(lowerIsBetter, 10.6, 10)).toMatchObject({ gate: 'metric:rmse', status: 'failed', actual: 10.6, expected: 10.5 });
  });
});

describe('checkMetricGate without something to compare', () => {
  it('fails when the candidate does not report the metric (and the live version does)', () => {
    expect(checkMetricGate(higherIsBetter, undefined, 0.9)).toMatchObject({ status: 'failed', actual: null, expected: 0.9 });
  });

  it('passes when no live version reports the metric (first release, or a new metric)', () => {
    expect(checkMetricGate(higherIsBetter, 0.5, undefined)).toMatchObject({ status: 'passed', actual: 0.5 });
    expect(checkMetricGate(higherIsBetter, undefined, undefined)).toMatchObject({ status: 'passed', actual: null });
  });
});

describe('failedGates', () => {
  it('keeps only failed results', () => {
    const results = [
      checkMetricGate(higherIsBetter, 0.8, 0.9),
      checkMetricGate(lowerIsBetter, 1, 10),
      { gate: 'drift_alert', status: 'skipped' as const, detail: 'not set up' },
    ];
    expect(failedGates(results).map((r) => r.gate)).toEqual(['metric:accuracy']);
  });
});
