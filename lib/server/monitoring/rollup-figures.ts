import 'server-only';
import { categoricalBucketDrift, numericBucketDrift } from '@/lib/stats/bucket-verdict';
import { resolveNumericMethod, type CategoryCounts, type FeatureDrift } from '@/lib/stats/drift';
import { LOG_LOSS_EPS, metricsFromCounts, metricsFromRegressionSums } from '@/lib/stats/performance';
import { latencyQuantile } from './latency-buckets';
import type { BucketCells, SeriesCells } from './read-rollups';
import type { ColumnProfile } from './reference-profile';
import { SCORE_BINS } from './rollups';

/** Figures of one bucket over all predictions (labelled or not). Null where the bucket says nothing. */
export interface OperationFigures {
  count: number;
  errors: number;
  errorRate: number | null;
  /** Latencies reported in the bucket (records without latencyMs are not counted). */
  latencyCount: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface PerformanceFigures {
  /** Labels joined to predictions of the bucket. */
  labeled: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  auc: number | null;
  logLoss: number | null;
  mae: number | null;
  mse: number | null;
  rmse: number | null;
  r2: number | null;
}

const cell = (cells: SeriesCells | undefined, name: string) => cells?.get(name) ?? 0;

/** Cell names of the reference's bins ("bin:0" …), made once: a 7-day heatmap looks up ~50,000. */
const BIN_CELLS = Array.from({ length: 64 }, (_, i) => `bin:${i}`);
const binCell = (i: number) => BIN_CELLS[i] ?? `bin:${i}`;

export function operationFigures(bucket: BucketCells): OperationFigures {
  const records = bucket.get('records');
  const count = cell(records, 'n');
  const errors = cell(records, 'error');
  const latency = new Map<number, number>();
  for (const [name, value] of records ?? []) if (name.startsWith('lat:')) latency.set(Number(name.slice(4)), value);
  let latencyCount = 0;
  for (const value of latency.values()) latencyCount += value;
  return {
    count,
    errors,
    errorRate: count > 0 ? errors / count : null,
    latencyCount,
    p50: latencyQuantile(latency, 0.5),
    p95: latencyQuantile(latency, 0.95),
    p99: latencyQuantile(latency, 0.99),
  };
}

/**
 * Ranked from the score histograms (20 bins of 0.05 per actual label): AUC counts pairs in
 * the same bin as ties, log loss takes each score at its bin's midpoint. Both are within a
 * bin's width of the exact figure; exact when every score is a bin midpoint.
 */
function scoreFigures(labels: SeriesCells): { auc: number | null; logLoss: number | null } {
  const positives = new Float64Array(SCORE_BINS);
  const negatives = new Float64Array(SCORE_BINS);
  let other = false;
  for (const [name, value] of labels) {
    if (!name.startsWith('score:')) continue;
    const bar = name.lastIndexOf('|');
    const label = name.slice(6, bar);
    const bin = Number(name.slice(bar + 1));
    if (label === '1') positives[bin]! += value;
    else if (label === '0') negatives[bin]! += value;
    else other = true;
  }
  if (other) return { auc: null, logLoss: null };
  let p = 0;
  let n = 0;
  let pairs = 0;
  let loss = 0;
  for (let bin = 0; bin < SCORE_BINS; bin++) {
    pairs += positives[bin]! * (n + negatives[bin]! / 2);
    p += positives[bin]!;
    n += negatives[bin]!;
    const mid = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, (bin + 0.5) / SCORE_BINS));
    loss -= positives[bin]! * Math.log(mid) + negatives[bin]! * Math.log(1 - mid);
  }
  return { auc: p > 0 && n > 0 ? pairs / (p * n) : null, logLoss: p + n > 0 ? loss / (p + n) : null };
}

const BINARY_CELLS = new Set(['cm:1|1', 'cm:1|0', 'cm:0|1', 'cm:0|0']);

/**
 * Performance of a bucket from its label joins. Accuracy, precision, recall and F1 are exact
 * (confusion counts; binary with positive class "1", accuracy alone for more classes); MAE,
 * MSE, RMSE and R² are exact (regression sums); AUC and log loss are approximated
 * (scoreFigures).
 */
export function performanceFigures(bucket: BucketCells): PerformanceFigures {
  const labels = bucket.get('labels') ?? new Map<string, number>();
  let confusion = 0;
  let correct = 0;
  let binary = true;
  for (const [name, value] of labels) {
    if (!name.startsWith('cm:')) continue;
    confusion += value;
    const pair = name.slice(3);
    // "x|x": the cell is on the diagonal whatever "|" the class names hold.
    const half = (pair.length - 1) / 2;
    if (Number.isInteger(half) && pair[half] === '|' && pair.slice(0, half) === pair.slice(half + 1)) correct += value;
    if (!BINARY_CELLS.has(name)) binary = false;
  }
  const threshold =
    confusion > 0 && binary
      ? metricsFromCounts({ tp: cell(labels, 'cm:1|1'), fp: cell(labels, 'cm:1|0'), fn: cell(labels, 'cm:0|1'), tn: cell(labels, 'cm:0|0') })
      : { accuracy: confusion > 0 ? correct / confusion : null, precision: null, recall: null, f1: null };
  const regression = metricsFromRegressionSums({
    count: cell(labels, 'reg_n'),
    absoluteError: cell(labels, 'abs_err'),
    squaredError: cell(labels, 'sq_err'),
    truth: cell(labels, 'y'),
    squaredTruth: cell(labels, 'y2'),
  });
  const n = cell(labels, 'reg_n');
  return {
    labeled: cell(labels, 'n'),
    ...threshold,
    ...scoreFigures(labels),
    mae: regression.mae,
    mse: n > 0 ? cell(labels, 'sq_err') / n : null,
    rmse: regression.rmse,
    r2: regression.r2,
  };
}

/** The series a column's rollups are kept under (rollups.ts). */
export function columnSeries(name: string, type: 'numeric' | 'categorical', prediction = false): string {
  if (prediction) return type === 'numeric' ? 'prediction' : 'prediction_label';
  return `f:${name}`;
}

const NO_CATEGORIES: CategoryCounts = { counts: new Map(), nNull: 0 };
/** A categorical profile's counts as a Map, made once per profile (profiles are cached: load-target.ts). */
const categoryReferences = new WeakMap<ColumnProfile, CategoryCounts>();
function categoryReference(profile: ColumnProfile | undefined): CategoryCounts {
  if (profile?.type !== 'categorical') return NO_CATEGORIES;
  let reference = categoryReferences.get(profile);
  if (!reference) categoryReferences.set(profile, (reference = { counts: new Map(Object.entries(profile.counts)), nNull: profile.nNull }));
  return reference;
}

/**
 * Drift of one column in one bucket from its rollup cells against the reference profile. A
 * numeric column keeps only counts per reference decile bin, so it gets PSI (the decision,
 * ≥ 0.2) and Jensen–Shannon — KS and Wasserstein need the raw values (GET …/drift). A
 * categorical column keeps every category: chi-square, PSI and Jensen–Shannon as lib/stats.
 * The verdict is a bucket's (lib/stats/bucket-verdict.ts): a distance drifts only when the
 * chi-square test on the same counts rejects, and too few values give no verdict.
 */
export function columnDrift(
  name: string,
  type: 'numeric' | 'categorical',
  profile: ColumnProfile | undefined,
  cells: SeriesCells | undefined,
): FeatureDrift {
  const nCurrent = cell(cells, 'n');
  const nNull = cell(cells, 'null');
  if (type === 'categorical') {
    const current = new Map<string, number>();
    for (const [key, value] of cells ?? []) if (key.startsWith('cat:')) current.set(key.slice(4), value);
    return categoricalBucketDrift(name, categoryReference(profile), { counts: current, nNull });
  }
  const reference = profile?.type === 'numeric' ? profile.profile : undefined;
  const base: FeatureDrift = {
    name,
    type: 'numeric',
    ...resolveNumericMethod(reference?.n ?? 0, { method: 'psi' }),
    drifted: false,
    nReference: reference?.n ?? 0,
    nCurrent,
    nNull,
    nNullReference: reference?.nNull ?? 0,
  };
  if (!reference || reference.n === 0 || nCurrent === 0) return base;
  const bins = reference.bins.map((_, i) => cell(cells, binCell(i)));
  // Bins are counted only while a reference exists; records from before it (or before the
  // rebuild that follows an upload) have no bin, and a partial count would read as drift.
  if (bins.reduce((a, b) => a + b, 0) !== nCurrent) return base;
  return numericBucketDrift(name, { bins: reference.bins, nNull: reference.nNull }, { bins, nNull });
}
