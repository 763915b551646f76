/**
 * Drift of one feature (or the prediction column) between a reference sample and the current
 * window, and the dataset-level verdict. Two entry points give the same numbers:
 * raw values (numericDrift, categoricalDrift) and stored counts (numericDriftFromCounts,
 * categoricalDriftFromCounts, see ./drift-counts) — except Wasserstein, which needs raw values.
 */
import { countBinsSorted, jensenShannonFromCounts, psiFromCounts, quantileEdges } from './bins';
import { chiSquareFromCounts } from './chi-square';
import { populationStd, sortedSample, type NumericValues } from './sample';
import { compareSorted, ksPValue, type TestResult } from './two-sample';

export type NumericDriftMethod = 'ks' | 'wasserstein' | 'psi' | 'jensen_shannon';
export type CategoricalDriftMethod = 'chi_square' | 'psi' | 'jensen_shannon';
export type DriftMethod = NumericDriftMethod | CategoricalDriftMethod;

export const NUMERIC_DRIFT_METHODS: readonly NumericDriftMethod[] = ['ks', 'wasserstein', 'psi', 'jensen_shannon'];
export const CATEGORICAL_DRIFT_METHODS: readonly CategoricalDriftMethod[] = ['chi_square', 'psi', 'jensen_shannon'];

/** Methods whose figure is a p-value: drift when p < threshold. The others: drift when value ≥ threshold. */
const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chi_square']);

export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  chi_square: 0.05,
  wasserstein: 0.1,
  jensen_shannon: 0.1,
  psi: 0.2,
};

/** Up to this many reference values the default is a test (KS, chi-square); above, a distance. */
export const SMALL_REFERENCE = 1000;
/** The dataset drifts when at least this share of its features drifts. */
export const DATASET_DRIFT_SHARE = 0.5;
/** Floor of the reference's standard deviation in wassersteinNormed (a constant reference would divide by 0). */
export const WASSERSTEIN_STD_FLOOR = 0.001;

export interface DriftOptions<M extends DriftMethod> {
  /** Overrides the default method (chosen by the reference's size). */
  method?: M;
  /** Overrides the method's default threshold. */
  threshold?: number;
}

export interface FeatureDrift {
  name: string;
  type: 'numeric' | 'categorical';
  method: DriftMethod;
  threshold: number;
  drifted: boolean;
  /** Non-null values compared on each side. */
  nReference: number;
  nCurrent: number;
  /** Missing values in the current window (null, undefined, NaN, ±Infinity): counted, not tested. */
  nNull: number;
  /** Missing values in the reference. */
  nNullReference: number;
  ks?: TestResult;
  psi?: number;
  jensenShannon?: number;
  wasserstein?: number;
  wassersteinNormed?: number;
  /** Categorical: the test on the categories. Numeric rollup buckets: the guard on the bins (bucket-verdict.ts). */
  chiSquare?: TestResult;
  /**
   * Set on rollup buckets with fewer non-null values than bucket-verdict.ts' minimum: the
   * figures stand, but there is no verdict (`drifted` false means "not decided").
   */
  tooFewValues?: true;
}

export interface DatasetDrift {
  /** Drifted features / features with statistics (0 when none has any). */
  share: number;
  drifted: boolean;
}

export function resolveNumericMethod(nReference: number, options: DriftOptions<NumericDriftMethod> = {}) {
  const method = options.method ?? (nReference <= SMALL_REFERENCE ? 'ks' : 'wasserstein');
  if (!NUMERIC_DRIFT_METHODS.includes(method)) throw new RangeError(`"${method}" is not a drift method for numeric features`);
  return { method, threshold: checkThreshold(method, options.threshold ?? DEFAULT_THRESHOLDS[method]) };
}

export function resolveCategoricalMethod(nReference: number, options: DriftOptions<CategoricalDriftMethod> = {}) {
  const method = options.method ?? (nReference <= SMALL_REFERENCE ? 'chi_square' : 'jensen_shannon');
  if (!CATEGORICAL_DRIFT_METHODS.includes(method)) throw new RangeError(`"${method}" is not a drift method for categorical features`);
  return { method, threshold: checkThreshold(method, options.threshold ?? DEFAULT_THRESHOLDS[method]) };
}

function checkThreshold(method: DriftMethod, threshold: number): number {
  const valid = P_VALUE_METHODS.has(method) ? threshold > 0 && threshold < 1 : Number.isFinite(threshold) && threshold >= 0;
  if (!valid) {
    const range = P_VALUE_METHODS.has(method) ? 'between 0 and 1 (exclusive)' : 'a finite number ≥ 0';
    throw new RangeError(`threshold for ${method} must be ${range}, got ${threshold}`);
  }
  return threshold;
}

/** The figure the method decides on: a p-value or a distance, undefined when not computed. */
export function decisionFigure(result: FeatureDrift): number | undefined {
  switch (result.method) {
    case 'ks':
      return result.ks?.pValue;
    case 'chi_square':
      return result.chiSquare?.pValue;
    case 'wasserstein':
      return result.wassersteinNormed;
    case 'psi':
      return result.psi;
    case 'jensen_shannon':
      return result.jensenShannon;
  }
}

/** Whether the feature has a verdict: statistics, and enough values for them (not `tooFewValues`). */
export function hasVerdict(result: FeatureDrift): boolean {
  return decisionFigure(result) !== undefined && !result.tooFewValues;
}

/** Sets `drifted` from the method's figure; a feature without statistics never drifts. */
export function decide(result: FeatureDrift): FeatureDrift {
  const figure = decisionFigure(result);
  if (figure === undefined) return { ...result, drifted: false };
  const drifted = P_VALUE_METHODS.has(result.method) ? figure < result.threshold : figure >= result.threshold;
  return { ...result, drifted };
}

/** Drift of a numeric feature from raw values: every statistic, two sorts and a few walks. */
export function numericDrift(
  name: string,
  reference: NumericValues,
  current: NumericValues,
  options: DriftOptions<NumericDriftMethod> = {},
): FeatureDrift {
  const r = sortedSample(reference);
  const c = sortedSample(current);
  const n = r.sorted.length;
  const m = c.sorted.length;
  const base: FeatureDrift = {
    name,
    type: 'numeric',
    ...resolveNumericMethod(n, options),
    drifted: false,
    nReference: n,
    nCurrent: m,
    nNull: c.nNull,
    nNullReference: r.nNull,
  };
  if (n === 0 || m === 0) return base;
  const { ksStatistic: statistic, wasserstein } = compareSorted(r.sorted, c.sorted);
  const edges = quantileEdges(r.sorted);
  const referenceBins = countBinsSorted(edges, r.sorted);
  const currentBins = countBinsSorted(edges, c.sorted);
  return decide({
    ...base,
    ks: { statistic, pValue: ksPValue(statistic, n, m) },
    psi: psiFromCounts(referenceBins, currentBins),
    jensenShannon: jensenShannonFromCounts(referenceBins, currentBins),
    wasserstein,
    wassersteinNormed: wasserstein / Math.max(populationStd(r.sorted), WASSERSTEIN_STD_FLOOR),
  });
}

export type CategoricalValues = ArrayLike<string | null | undefined>;

export interface CategoryCounts {
  /** Count per category (non-null values only). */
  counts: ReadonlyMap<string, number>;
  nNull: number;
}

/** Counts per category; null and undefined are counted apart. */
export function categoryCounts(values: CategoricalValues): CategoryCounts {
  const counts = new Map<string, number>();
  let nNull = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) nNull++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { counts, nNull };
}

/** Adds category counts (rollups of several windows into one). */
export function mergeCategoryCounts(...parts: CategoryCounts[]): CategoryCounts {
  const counts = new Map<string, number>();
  let nNull = 0;
  for (const part of parts) {
    nNull += part.nNull;
    for (const [key, count] of part.counts) counts.set(key, (counts.get(key) ?? 0) + count);
  }
  return { counts, nNull };
}

function sumCounts(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/**
 * Drift of a categorical feature from category counts: chi-square, PSI and Jensen–Shannon on
 * the union of categories (a category seen on one side only counts 0 on the other).
 */
export function categoricalDriftFromCounts(
  name: string,
  reference: CategoryCounts,
  current: CategoryCounts,
  options: DriftOptions<CategoricalDriftMethod> = {},
): FeatureDrift {
  const n = sumCounts(reference.counts);
  const m = sumCounts(current.counts);
  const base: FeatureDrift = {
    name,
    type: 'categorical',
    ...resolveCategoricalMethod(n, options),
    drifted: false,
    nReference: n,
    nCurrent: m,
    nNull: current.nNull,
    nNullReference: reference.nNull,
  };
  if (n === 0 || m === 0) return base;
  const categories = [...new Set([...reference.counts.keys(), ...current.counts.keys()])]
    .filter((key) => (reference.counts.get(key) ?? 0) + (current.counts.get(key) ?? 0) > 0)
    .sort();
  const r = Float64Array.from(categories, (key) => reference.counts.get(key) ?? 0);
  const c = Float64Array.from(categories, (key) => current.counts.get(key) ?? 0);
  return decide({
    ...base,
    chiSquare: chiSquareFromCounts(r, c),
    psi: psiFromCounts(r, c),
    jensenShannon: jensenShannonFromCounts(r, c),
  });
}

export function categoricalDrift(
  name: string,
  reference: CategoricalValues,
  current: CategoricalValues,
  options: DriftOptions<CategoricalDriftMethod> = {},
): FeatureDrift {
  return categoricalDriftFromCounts(name, categoryCounts(reference), categoryCounts(current), options);
}

/** Share of drifted features among those with a verdict; the dataset drifts at ≥ 50%. */
export function datasetDrift(features: readonly FeatureDrift[], share = DATASET_DRIFT_SHARE): DatasetDrift {
  let evaluated = 0;
  let drifted = 0;
  for (const feature of features) {
    if (!hasVerdict(feature)) continue;
    evaluated++;
    if (feature.drifted) drifted++;
  }
  const observed = evaluated === 0 ? 0 : drifted / evaluated;
  return { share: observed, drifted: evaluated > 0 && observed >= share };
}

export type FeatureInput =
  | ({ name: string; type: 'numeric'; reference: NumericValues; current: NumericValues } & DriftOptions<NumericDriftMethod>)
  | ({ name: string; type: 'categorical'; reference: CategoricalValues; current: CategoricalValues } & DriftOptions<CategoricalDriftMethod>);

export function featureDrift(input: FeatureInput): FeatureDrift {
  const { threshold } = input;
  return input.type === 'numeric'
    ? numericDrift(input.name, input.reference, input.current, { method: input.method, threshold })
    : categoricalDrift(input.name, input.reference, input.current, { method: input.method, threshold });
}

export interface DriftReport {
  features: FeatureDrift[];
  /** The prediction column, compared like a feature; not part of the dataset share. */
  prediction?: FeatureDrift;
  datasetDrift: DatasetDrift;
}

export function detectDrift(input: { features: readonly FeatureInput[]; prediction?: FeatureInput }): DriftReport {
  const features = input.features.map(featureDrift);
  return {
    features,
    ...(input.prediction ? { prediction: featureDrift(input.prediction) } : {}),
    datasetDrift: datasetDrift(features),
  };
}
