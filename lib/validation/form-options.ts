/**
 * The choices, limits and sentinels that browser forms share with the zod schemas of this
 * folder. No zod here, nor anything that imports it: client components import this module, and
 * zod in the browser trips the CSP (test/client-bundle.test.ts says how).
 */

// Alert rules (alerts.ts)
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const COMPARATORS = ['>', '>=', '<', '<='] as const;

export const CLASSIFICATION_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auc', 'log_loss'] as const;
export const REGRESSION_METRICS = ['mae', 'mse', 'rmse', 'r2', 'mape'] as const;

export const DRIFT_STATISTICS = ['psi', 'ks', 'chi2', 'jensen_shannon'] as const;
/** KS compares numeric distributions, chi-square counts categories; PSI and JS fit both. */
export const STATISTICS_BY_TYPE: Record<'numeric' | 'categorical', readonly (typeof DRIFT_STATISTICS)[number][]> = {
  numeric: ['psi', 'jensen_shannon', 'ks'],
  categorical: ['psi', 'jensen_shannon', 'chi2'],
};

/** The metrics a model's task can be measured by (an unknown task allows every metric). */
export function metricsForTask(task: string): readonly string[] {
  if (task === 'classification') return CLASSIFICATION_METRICS;
  if (task === 'regression') return REGRESSION_METRICS;
  return [...CLASSIFICATION_METRICS, ...REGRESSION_METRICS];
}

// Environments (environments.ts)
/** The select's value for "place it first" (not an environment name: names cannot start with a dash). */
export const FIRST = '-first';

// Monitoring retention (monitoring.ts): a day table per model and day, so a bound on days bounds tables.
export const DEFAULT_RETENTION_DAYS = 90;
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 365;
