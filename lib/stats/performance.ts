/**
 * Model performance metrics: binary classification (positive class 1) and regression.
 * Pure functions, no I/O.
 *
 * Undefined is `null`, never 0 and never NaN. sklearn returns 0 with a warning for a zero
 * division (precision with no predicted positives, recall with no actual positives); we do
 * not, because monitoring computes these over short windows: a fraud model predicts no
 * positives in many quiet minutes, and a 0 there would draw a collapse on the chart and
 * fire a "precision below x" alert for a window that says nothing about precision. A null
 * leaves a gap that the UI labels and alert rules skip.
 */

export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ThresholdMetrics {
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface ClassificationMetrics extends ThresholdMetrics {
  count: number;
  positives: number;
  /** ROC AUC; null when only one class is present. */
  auc: number | null;
  /** Mean binary cross-entropy with probabilities clipped to [1e-15, 1 - 1e-15]. */
  logLoss: number | null;
}

export interface RegressionMetrics {
  count: number;
  mae: number | null;
  rmse: number | null;
  /**
   * Coefficient of determination; null when the truth is constant (its variance is zero).
   * Checked on the values, not on the summed squares, which rounding leaves slightly above 0.
   */
  r2: number | null;
}

/** The clipping sklearn's log_loss used before 1.5 (`eps=1e-15`). */
export const LOG_LOSS_EPS = 1e-15;

type Numbers = ArrayLike<number>;

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function assertSameLength(a: Numbers, b: Numbers, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: expected as many values as labels (${a.length}), got ${b.length}.`);
}

function assertLabels(labels: Numbers): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label !== 0 && label !== 1) throw new RangeError(`Labels must be 0 or 1; label ${i} is ${label}.`);
  }
}

function assertProbabilities(scores: Numbers): void {
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (!(score >= 0 && score <= 1)) throw new RangeError(`Probabilities must be within [0, 1]; value ${i} is ${score}.`);
  }
}

function assertFinite(values: Numbers, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${what} must be finite numbers; value ${i} is ${values[i]}.`);
  }
}

/** Accuracy, precision, recall and F1 from confusion counts (the form monitoring rollups keep). */
export function metricsFromCounts({ tp, fp, tn, fn }: ConfusionCounts): ThresholdMetrics {
  for (const [name, value] of Object.entries({ tp, fp, tn, fn })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`Confusion count ${name} must be a non-negative integer, got ${value}.`);
  }
  return {
    accuracy: ratio(tp + tn, tp + fp + tn + fn),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    // 2tp / (2tp + fp + fn) equals the harmonic mean of precision and recall where both are
    // defined, and stays defined (0) when the model predicts no positives but misses some.
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}

/** Confusion counts of 0/1 labels against 0/1 predicted labels. */
export function confusionCounts(labels: Numbers, predicted: Numbers): ConfusionCounts {
  assertSameLength(labels, predicted, 'Predicted labels');
  assertLabels(labels);
  assertLabels(predicted);
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    if (predicted[i] === 1) labels[i] === 1 ? counts.tp++ : counts.fp++;
    else labels[i] === 1 ? counts.fn++ : counts.tn++;
  }
  return counts;
}

/** Counts with a score at or above `threshold` predicted positive (the ONNX models' `label` output at 0.5). */
export function countsAtThreshold(labels: Numbers, scores: Numbers, threshold = 0.5): ConfusionCounts {
  assertSameLength(labels, scores, 'Scores');
  assertFinite(scores, 'Scores');
  return confusionCounts(labels, Array.from(scores, (score) => (score >= threshold ? 1 : 0)));
}

/**
 * Exact ROC AUC as the Mann–Whitney U statistic over (positives × negatives), with tied
 * scores given their midrank, so a tie between a positive and a negative counts one half.
 * Null when either class is absent.
 */
export function rocAuc(labels: Numbers, scores: Numbers): number | null {
  assertSameLength(labels, scores, 'Scores');
  assertLabels(labels);
  assertFinite(scores, 'Scores');
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    // Ranks are 1-based: the group occupies ranks start+1 … end.
    const midrank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (labels[order[k]!] === 1) positiveRankSum += midrank;
    start = end;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Mean log loss of positive-class probabilities, clipped like sklearn so 0 and 1 stay finite. */
export function logLoss(labels: Numbers, probabilities: Numbers): number | null {
  assertSameLength(labels, probabilities, 'Probabilities');
  assertLabels(labels);
  assertProbabilities(probabilities);
  if (labels.length === 0) return null;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i]!, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / labels.length;
}

/** Every classification metric for positive-class probabilities, thresholded at `threshold` (default 0.5). */
export function classificationMetrics(labels: Numbers, probabilities: Numbers, threshold = 0.5): ClassificationMetrics {
  const counts = countsAtThreshold(labels, probabilities, threshold);
  return {
    count: labels.length,
    positives: counts.tp + counts.fn,
    ...metricsFromCounts(counts),
    auc: rocAuc(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
  };
}

/** MAE, RMSE and R² of predictions against the truth. */
export function regressionMetrics(truth: Numbers, predicted: Numbers): RegressionMetrics {
  assertSameLength(truth, predicted, 'Predictions');
  assertFinite(truth, 'True values');
  assertFinite(predicted, 'Predictions');
  const n = truth.length;
  if (n === 0) return { count: 0, mae: null, rmse: null, r2: null };
  let mean = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    mean += truth[i]!;
    constant &&= truth[i] === truth[0];
  }
  mean /= n;
  let absolute = 0;
  let squared = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const error = truth[i]! - predicted[i]!;
    absolute += Math.abs(error);
    squared += error * error;
    total += (truth[i]! - mean) ** 2;
  }
  return { count: n, mae: absolute / n, rmse: Math.sqrt(squared / n), r2: constant ? null : 1 - squared / total };
}

/**
 * Additive sums from which MAE, RMSE and R² follow: the regression counterpart of confusion
 * counts, so rollups over minutes can be summed into hours without keeping the rows.
 */
export interface RegressionSums {
  count: number;
  absoluteError: number;
  squaredError: number;
  truth: number;
  squaredTruth: number;
}

export function regressionSums(truth: Numbers, predicted: Numbers): RegressionSums {
  assertSameLength(truth, predicted, 'Predictions');
  assertFinite(truth, 'True values');
  assertFinite(predicted, 'Predictions');
  const sums = { count: truth.length, absoluteError: 0, squaredError: 0, truth: 0, squaredTruth: 0 };
  for (let i = 0; i < truth.length; i++) {
    const error = truth[i]! - predicted[i]!;
    sums.absoluteError += Math.abs(error);
    sums.squaredError += error * error;
    sums.truth += truth[i]!;
    sums.squaredTruth += truth[i]! * truth[i]!;
  }
  return sums;
}

export function addRegressionSums(a: RegressionSums, b: RegressionSums): RegressionSums {
  return {
    count: a.count + b.count,
    absoluteError: a.absoluteError + b.absoluteError,
    squaredError: a.squaredError + b.squaredError,
    truth: a.truth + b.truth,
    squaredTruth: a.squaredTruth + b.squaredTruth,
  };
}

/**
 * MAE, RMSE and R² from sums. The truth's variance is Σy² − (Σy)²/n here, a difference of
 * large sums: anything within rounding of zero (1e-12 of Σy²) counts as a constant truth.
 */
export function metricsFromRegressionSums(sums: RegressionSums): RegressionMetrics {
  const { count: n } = sums;
  if (n === 0) return { count: 0, mae: null, rmse: null, r2: null };
  const total = sums.squaredTruth - (sums.truth * sums.truth) / n;
  return {
    count: n,
    mae: sums.absoluteError / n,
    rmse: Math.sqrt(sums.squaredError / n),
    r2: total <= 1e-12 * sums.squaredTruth ? null : 1 - sums.squaredError / total,
  };
}
