import type { NumericReferenceProfile } from '@/lib/stats/drift-counts';

/**
 * What is kept of a reference column: exactly what the drift statistics need. A numeric
 * profile holds every distinct value with its multiplicity (the multiset itself, so KS,
 * Wasserstein, PSI and Jensen–Shannon are exact); a categorical one the count per category.
 */
export type ColumnProfile =
  | { type: 'numeric'; profile: NumericReferenceProfile }
  | { type: 'categorical'; n: number; nNull: number; counts: Record<string, number> };

export type ReferenceProfiles = Record<string, ColumnProfile>;

/** The reference column compared with predictions (a numeric score/value, or labels). */
export const PREDICTION_COLUMN = 'prediction';
