import { createHash } from 'node:crypto';
import { writeLinearModel } from '@/lib/onnx/linear-model';
import { classificationMetrics, regressionMetrics } from '@/lib/stats/performance';
import { DEMO_DATASETS, generate, type DemoDataset, type DemoTask } from './datasets';
import { predict, trainLinearRegression, trainLogisticRegression, type LinearModel } from './train';

/**
 * How each demo version was made. Every version of a model takes all of the model's
 * features in the same order (unused ones weigh 0), so any two versions can share traffic
 * in a canary or shadow rollout.
 */
interface VersionRecipe {
  description: string;
  /** Features the version was trained on (default: all). */
  features?: readonly string[];
  trainRows: number;
  l2: number;
  /**
   * A pipeline bug for the bad canary: these two columns were swapped while training, but
   * the artifact reads inputs in the registered order.
   */
  swappedInTraining?: readonly [string, string];
}

const RECIPES: Record<string, VersionRecipe[]> = {
  'fraud-detector': [
    { description: 'Baseline on four payment fields, 3k labelled payments, strong regularisation.', features: ['amount', 'merchant_category', 'country_mismatch', 'txn_count_1h'], trainRows: 3_000, l2: 50 },
    { description: 'Adds hour of day and account age; 8k labelled payments.', features: ['amount', 'merchant_category', 'country_mismatch', 'txn_count_1h', 'hour_of_day', 'account_age_days'], trainRows: 8_000, l2: 5 },
    { description: 'All eight features, including distance from home and new device; 20k labelled payments.', trainRows: 20_000, l2: 1 },
    {
      description:
        'Bad canary: retrained after a feature-pipeline change swapped amount and account_age_days. ' +
        'The artifact reads them in the registered order, so its live ranking is much worse; metrics are measured on correctly ordered held-out data.',
      trainRows: 20_000,
      l2: 1,
      swappedInTraining: ['amount', 'account_age_days'],
    },
  ],
  'churn-predictor': [
    { description: 'Baseline on tenure, charges and contract; 1.5k subscribers, strong regularisation.', features: ['tenure_months', 'monthly_charges', 'contract_type'], trainRows: 1_500, l2: 20 },
    { description: 'Adds support tickets; 3k subscribers.', features: ['tenure_months', 'monthly_charges', 'contract_type', 'support_tickets_90d'], trainRows: 3_000, l2: 20 },
    { description: 'Adds late payments; 6k subscribers.', features: ['tenure_months', 'monthly_charges', 'contract_type', 'support_tickets_90d', 'late_payments_12m'], trainRows: 6_000, l2: 5 },
    { description: 'All seven features, including services and data usage; 8k subscribers.', trainRows: 8_000, l2: 1 },
    { description: 'All seven features, 20k subscribers.', trainRows: 20_000, l2: 0.1 },
  ],
  'demand-forecast': [
    { description: 'Baseline on last week’s units, price and promotion; 2k store-days, strong regularisation.', features: ['price', 'promo', 'lag_7'], trainRows: 2_000, l2: 200 },
    { description: 'Adds the day of the week; 4k store-days.', features: ['price', 'promo', 'lag_7', 'day_of_week'], trainRows: 4_000, l2: 20 },
    { description: 'All six features, including temperature and store; 6k store-days.', trainRows: 6_000, l2: 1 },
    { description: 'All six features, 20k store-days.', trainRows: 20_000, l2: 0.1 },
  ],
};

const TRAIN_SEED = 11;
const HELD_OUT_SEED = 12;
const HELD_OUT_ROWS = 8_000;

export interface DemoModelVersion {
  version: number;
  description: string;
  /** ONNX bytes (input X [N, F] float32 in feature order; see lib/onnx/linear-model.ts). */
  onnx: Uint8Array;
  sha256: string;
  /** Measured on the held-out rows with lib/stats/performance.ts; undefined metrics are left out. */
  metrics: Record<string, number>;
  params: Record<string, string | number | boolean>;
  /** The exported weights (float32 values) and bias, for scoring without onnxruntime. */
  model: LinearModel;
}

export interface DemoModel {
  model: string;
  task: DemoTask;
  description: string;
  features: { name: string; type: 'numeric' | 'categorical' }[];
  versions: DemoModelVersion[];
}

function heldOutMetrics(dataset: DemoDataset, model: LinearModel, rows: number[][], truth: number[]): Record<string, number> {
  const scores = rows.map((row) => predict(model, row));
  let measured: Record<string, number | null>;
  if (dataset.task === 'classification') {
    const m = classificationMetrics(truth, scores);
    measured = { accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, auc: m.auc, log_loss: m.logLoss };
  } else {
    const m = regressionMetrics(truth, scores);
    measured = { mae: m.mae, rmse: m.rmse, r2: m.r2 };
  }
  return Object.fromEntries(Object.entries(measured).filter((entry): entry is [string, number] => entry[1] !== null));
}

function columnsOf(dataset: DemoDataset, names: readonly string[]): number[] {
  return names.map((name) => {
    const index = dataset.features.findIndex((f) => f.name === name);
    if (index < 0) throw new Error(`${dataset.model} has no feature ${name}.`);
    return index;
  });
}

function buildVersion(dataset: DemoDataset, recipe: VersionRecipe, version: number, pool: ReturnType<typeof generate>, heldOut: ReturnType<typeof generate>): DemoModelVersion {
  let rows = pool.rows.slice(0, recipe.trainRows);
  if (recipe.swappedInTraining) {
    const [a, b] = columnsOf(dataset, recipe.swappedInTraining) as [number, number];
    rows = rows.map((row) => row.map((value, c) => (c === a ? row[b]! : c === b ? row[a]! : value)));
  }
  const options = { l2: recipe.l2, columns: recipe.features ? columnsOf(dataset, recipe.features) : undefined };
  const truth = pool.truth.slice(0, recipe.trainRows);
  const trained = dataset.task === 'classification' ? trainLogisticRegression(rows, truth, options) : trainLinearRegression(rows, truth, options);
  // Metrics describe the artifact, whose weights are float32.
  const model: LinearModel = { kind: trained.kind, weights: trained.weights.map(Math.fround), bias: Math.fround(trained.bias) };
  const metrics = heldOutMetrics(dataset, model, heldOut.rows, heldOut.truth);
  const params = {
    algorithm: dataset.task === 'classification' ? 'logistic_regression_irls' : 'ridge_regression',
    l2: recipe.l2,
    train_rows: recipe.trainRows,
    held_out_rows: heldOut.rows.length,
    features_used: (recipe.features ?? dataset.features.map((f) => f.name)).join(','),
    ...(recipe.swappedInTraining ? { pipeline_bug: `swapped ${recipe.swappedInTraining.join(' and ')}` } : {}),
  };
  const onnx = writeLinearModel({
    kind: model.kind,
    featureNames: dataset.features.map((f) => f.name),
    weights: model.weights,
    bias: model.bias,
    metadata: { model: dataset.model, version: String(version), description: recipe.description, metrics: JSON.stringify(metrics) },
  });
  return { version, description: recipe.description, onnx, sha256: createHash('sha256').update(onnx).digest('hex'), metrics, params, model };
}

/**
 * Trains every demo version on synthetic data and exports it as ONNX. Deterministic: the
 * same bytes, hashes and metrics on every run.
 */
export function buildDemoModels(): DemoModel[] {
  return Object.entries(RECIPES).map(([name, recipes]) => {
    const dataset = DEMO_DATASETS[name]!;
    const pool = generate(dataset, Math.max(...recipes.map((r) => r.trainRows)), { seed: TRAIN_SEED });
    const heldOut = generate(dataset, HELD_OUT_ROWS, { seed: HELD_OUT_SEED });
    return {
      model: dataset.model,
      task: dataset.task,
      description: dataset.description,
      features: dataset.features.map(({ name: feature, type }) => ({ name: feature, type })),
      versions: recipes.map((recipe, index) => buildVersion(dataset, recipe, index + 1, pool, heldOut)),
    };
  });
}

/**
 * The rows a version was trained on, in the registered feature order (before any pipeline
 * bug's swap): the demo history uploads them as the version's reference distribution.
 */
export function trainingSplit(model: string, version: number): number[][] {
  const dataset = DEMO_DATASETS[model];
  const recipe = RECIPES[model]?.[version - 1];
  if (!dataset || !recipe) throw new Error(`lib/demo trains no version ${version} of ${model}.`);
  return generate(dataset, recipe.trainRows, { seed: TRAIN_SEED }).rows;
}
