import { describe, expect, it } from 'vitest';
import { validationError } from '@/lib/server/http/problem';
import { ZUpdateEnvironmentForm } from './registry-forms';

const base = { name: 'staging', requiredApprovals: '1', minSoakMinutes: '0' };

function errorsOf(input: Record<string, unknown>) {
  const parsed = ZUpdateEnvironmentForm.safeParse(input);
  if (parsed.success) return null;
  return validationError(parsed.error, 'form').fieldErrors;
}

describe('environment rules form: metric gate rows', () => {
  it('refuses a row with an empty metric and a non-numeric tolerance, naming both fields of that row', () => {
    const errors = errorsOf({ ...base, gateMetric: ['accuracy', ''], gateComparator: ['>=', '>='], gateTolerance: ['0.01', 'abc'], gateEnabled: ['0', '1'] });
    expect(errors).toEqual({
      'metricGates.1.metric': ['Name the metric (e.g. accuracy), or remove this row.'],
      'metricGates.1.tolerance': ['Tolerance is a number of at least 0, e.g. 0.01.'],
    });
  });

  it('refuses a row that has only a metric name missing', () => {
    const errors = errorsOf({ ...base, gateMetric: [' '], gateComparator: ['<='], gateTolerance: ['0'] });
    expect(Object.keys(errors ?? {})).toEqual(['metricGates.0.metric']);
  });

  it('keeps valid rows, with their enabled flags', () => {
    const parsed = ZUpdateEnvironmentForm.parse({ ...base, gateMetric: ['auc', 'rmse'], gateComparator: ['>=', '<='], gateTolerance: ['0.02', '1'], gateEnabled: ['1'] });
    expect(parsed.input.metricGates).toEqual([
      { metric: 'auc', comparator: '>=', tolerance: 0.02, enabled: false },
      { metric: 'rmse', comparator: '<=', tolerance: 1, enabled: true },
    ]);
  });
});
