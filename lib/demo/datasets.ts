import { createRandom, type Random } from './random';

/**
 * Synthetic data for the demo models: realistic named features drawn with plausible
 * correlations, and a known relationship plus noise that decides the ground truth (a 0/1
 * label for classifiers, units for the regressor). The same definitions feed training,
 * held-out evaluation and the demo traffic, so drifted traffic is drawn here too.
 */

export type DemoTask = 'classification' | 'regression';

export interface DemoFeature {
  name: string;
  /** As in the registry's feature schema; categorical features are sent as numeric codes. */
  type: 'numeric' | 'categorical';
  description: string;
  /** Valid range: shifted values are clamped into it. */
  min: number;
  max: number;
  /** Counts and codes stay whole numbers after a shift. */
  integer?: boolean;
}

/** A distribution shift of one feature: value × factor + offset, then clamped to its range. */
export interface FeatureShift {
  feature: string;
  factor?: number;
  offset?: number;
}

export interface DemoDataset {
  model: string;
  task: DemoTask;
  description: string;
  features: readonly DemoFeature[];
  /** Draws one row of raw feature values, in feature order. */
  draw(random: Random): number[];
  /**
   * The ground truth for a row: the probability of the positive class (classification) or
   * the expected value (regression), before noise.
   */
  signal(row: readonly number[]): number;
  /** Noise around the signal: a Bernoulli draw (classification) or the target with its noise. */
  outcome(signal: number, random: Random): number;
}

export interface DemoRow {
  /** Raw feature values in the model's feature order (what the ONNX input X takes). */
  features: number[];
  /** The ground truth that arrives later: 0/1 label or the observed target. */
  truth: number;
}

const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const cents = (value: number) => Math.round(value * 100) / 100;

/** Merchant categories, coded in order of their historical fraud rate (target-ordered encoding). */
export const MERCHANT_CATEGORIES = ['grocery', 'fuel', 'restaurants', 'retail', 'travel', 'electronics', 'digital_goods', 'gift_cards'] as const;
const MERCHANT_SHARE = [25, 12, 20, 22, 7, 7, 5, 2];
const MERCHANT_LOG_AMOUNT = [3.5, 3.8, 3.4, 4.0, 5.6, 5.3, 3.2, 4.4];

export const fraudDataset: DemoDataset = {
  model: 'fraud-detector',
  task: 'classification',
  description: 'Card-not-present payments; label 1 = confirmed fraud (chargeback).',
  features: [
    { name: 'amount', type: 'numeric', description: 'Payment amount in USD.', min: 0.5, max: 10_000 },
    { name: 'merchant_category', type: 'categorical', description: `Code 0–7: ${MERCHANT_CATEGORIES.join(', ')}.`, min: 0, max: 7, integer: true },
    { name: 'country_mismatch', type: 'categorical', description: '1 when the card and the IP address are in different countries.', min: 0, max: 1, integer: true },
    { name: 'txn_count_1h', type: 'numeric', description: "The card's payments in the previous hour.", min: 0, max: 50, integer: true },
    { name: 'hour_of_day', type: 'numeric', description: "Local hour of the payment, 0–23.", min: 0, max: 23, integer: true },
    { name: 'account_age_days', type: 'numeric', description: "Age of the customer's account in days.", min: 0, max: 7300, integer: true },
    { name: 'distance_from_home_km', type: 'numeric', description: 'Distance between the billing address and the device location.', min: 0, max: 20_000 },
    { name: 'new_device', type: 'categorical', description: '1 when the device was never seen on this account.', min: 0, max: 1, integer: true },
  ],
  draw(random) {
    const category = random.weighted(MERCHANT_SHARE);
    const mismatch = random.bernoulli(category === 4 ? 0.25 : 0.04);
    const amount = clamp(cents(random.logNormal(MERCHANT_LOG_AMOUNT[category]!, 0.8)), 0.5, 10_000);
    const hour = random.weighted([2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 10, 11, 10, 9, 9, 9, 10, 11, 11, 10, 8, 6, 4]);
    const accountAge = Math.round(clamp(random.logNormal(6.2, 1.2), 0, 7300));
    const distance = cents(mismatch ? random.logNormal(7.0, 0.6) : random.logNormal(1.8, 1.1));
    return [amount, category, mismatch, random.poisson(0.35), hour, accountAge, clamp(distance, 0, 20_000), random.bernoulli(0.07)];
  },
  signal([amount, category, mismatch, count1h, hour, accountAge, distance, newDevice]) {
    const night = hour! < 6 ? 1 : 0;
    return logistic(
      -6.0 +
        0.7 * Math.log(amount! / 50) +
        0.0005 * amount! +
        0.5 * category! +
        1.8 * mismatch! +
        0.8 * count1h! +
        1.0 * night -
        0.0012 * accountAge! +
        0.35 * Math.log1p(distance!) +
        1.8 * newDevice!,
    );
  },
  outcome: (p, random) => random.bernoulli(p),
};

export const CONTRACT_TYPES = ['month-to-month', 'one-year', 'two-year'] as const;

export const churnDataset: DemoDataset = {
  model: 'churn-predictor',
  task: 'classification',
  description: 'Subscribers; label 1 = cancelled within the next month.',
  features: [
    { name: 'tenure_months', type: 'numeric', description: 'Months since the subscription started.', min: 0, max: 120, integer: true },
    { name: 'monthly_charges', type: 'numeric', description: 'Current monthly bill in USD.', min: 10, max: 200 },
    { name: 'contract_type', type: 'categorical', description: `Code 0–2: ${CONTRACT_TYPES.join(', ')}.`, min: 0, max: 2, integer: true },
    { name: 'support_tickets_90d', type: 'numeric', description: 'Support tickets opened in the last 90 days.', min: 0, max: 30, integer: true },
    { name: 'late_payments_12m', type: 'numeric', description: 'Late payments in the last 12 months.', min: 0, max: 12, integer: true },
    { name: 'num_services', type: 'numeric', description: 'Services subscribed (internet, TV, phone lines, …).', min: 1, max: 8, integer: true },
    { name: 'data_usage_gb', type: 'numeric', description: 'Mobile data used last month, GB.', min: 0, max: 500 },
  ],
  draw(random) {
    const contract = random.weighted([55, 25, 20]);
    const tenure = Math.round(clamp(-Math.log(1 - random.uniform()) * [12, 30, 46][contract]!, 1, 120));
    const charges = cents(clamp(random.normal(68, 24), 18, 160));
    const services = clamp(1 + random.poisson((charges - 18) / 35), 1, 8);
    return [tenure, charges, contract, random.poisson(0.9), random.poisson(0.5), services, cents(clamp(random.logNormal(2.6, 0.8), 0, 500))];
  },
  signal([tenure, charges, contract, tickets, late, services, usage]) {
    return logistic(-0.2 - 0.06 * tenure! + 0.03 * (charges! - 68) - 1.2 * contract! + 0.7 * tickets! + 0.75 * late! - 0.2 * services! - 0.03 * usage!);
  },
  outcome: (p, random) => random.bernoulli(p),
};

/** Stores 1–20 with their usual daily units (a fixed table, so the data is the same everywhere). */
const STORE_LEVEL = (() => {
  const random = createRandom(2026);
  return Array.from({ length: 20 }, () => Math.round(20 + 60 * random.uniform()));
})();
/** Monday (0) … Sunday (6). */
const WEEKDAY_FACTOR = [0.9, 0.88, 0.93, 1.0, 1.12, 1.3, 1.22];

export const demandDataset: DemoDataset = {
  model: 'demand-forecast',
  task: 'regression',
  description: 'Daily units sold per store and product.',
  features: [
    { name: 'store_id', type: 'categorical', description: 'Store number 1–20 (its level reaches the model through lag_7).', min: 1, max: 20, integer: true },
    { name: 'price', type: 'numeric', description: 'Shelf price in USD.', min: 0.5, max: 20 },
    { name: 'promo', type: 'categorical', description: '1 when the product is on promotion that day.', min: 0, max: 1, integer: true },
    { name: 'lag_7', type: 'numeric', description: 'Units sold on the same weekday a week earlier.', min: 0, max: 1000, integer: true },
    { name: 'temperature_c', type: 'numeric', description: 'Forecast midday temperature, °C.', min: -30, max: 45 },
    { name: 'day_of_week', type: 'numeric', description: '0 = Monday … 6 = Sunday.', min: 0, max: 6, integer: true },
  ],
  draw(random) {
    const store = random.integer(1, 20);
    const weekday = random.integer(0, 6);
    const usual = STORE_LEVEL[store - 1]! * WEEKDAY_FACTOR[weekday]!;
    const lag7 = Math.max(0, Math.round(usual * (1 + random.normal(0, 0.15)) + 8 * random.bernoulli(0.15)));
    return [store, cents(clamp(random.normal(4, 0.6), 1.5, 8)), random.bernoulli(0.15), lag7, Math.round(random.normal(15, 8) * 10) / 10, weekday];
  },
  signal([store, price, promo, lag7, temperature, weekday]) {
    const usual = STORE_LEVEL[store! - 1]! * WEEKDAY_FACTOR[weekday!]!;
    return 0.45 * lag7! + 0.55 * usual - 6 * (price! - 4) + 9 * promo! + 0.25 * (temperature! - 15);
  },
  outcome: (expected, random) => Math.max(0, Math.round(expected + random.normal(0, 4))),
};

export const DEMO_DATASETS: Readonly<Record<string, DemoDataset>> = Object.fromEntries(
  [fraudDataset, churnDataset, demandDataset].map((dataset) => [dataset.model, dataset]),
);

/** Checks shifts against the dataset's features, naming the valid ones when one is unknown. */
export function checkShifts(dataset: DemoDataset, shifts: readonly FeatureShift[]): void {
  for (const shift of shifts) {
    if (!dataset.features.some((f) => f.name === shift.feature)) {
      throw new Error(`${dataset.model} has no feature "${shift.feature}"; its features are ${dataset.features.map((f) => f.name).join(', ')}.`);
    }
    for (const value of [shift.factor, shift.offset]) {
      if (value !== undefined && !Number.isFinite(value)) throw new Error(`Shift of ${shift.feature}: factor and offset must be finite numbers.`);
    }
  }
}

/**
 * Applies shifts to a drawn row. The ground truth is then computed from the shifted values:
 * the world changed (covariate shift), the relationship did not.
 */
export function applyShifts(dataset: DemoDataset, row: number[], shifts: readonly FeatureShift[]): number[] {
  for (const shift of shifts) {
    const index = dataset.features.findIndex((f) => f.name === shift.feature);
    const feature = dataset.features[index];
    if (!feature) continue;
    let value = row[index]! * (shift.factor ?? 1) + (shift.offset ?? 0);
    value = clamp(value, feature.min, feature.max);
    row[index] = feature.integer ? Math.round(value) : value;
  }
  return row;
}

/** An endless, seeded stream of rows with their ground truth. */
export function createSampler(dataset: DemoDataset, options: { seed: number; shifts?: readonly FeatureShift[] }): () => DemoRow {
  const shifts = options.shifts ?? [];
  checkShifts(dataset, shifts);
  const random = createRandom(options.seed);
  return () => {
    const features = applyShifts(dataset, dataset.draw(random), shifts);
    return { features, truth: dataset.outcome(dataset.signal(features), random) };
  };
}

/** `count` rows as a design matrix and targets. */
export function generate(dataset: DemoDataset, count: number, options: { seed: number; shifts?: readonly FeatureShift[] }) {
  const next = createSampler(dataset, options);
  const rows: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = next();
    rows.push(row.features);
    truth.push(row.truth);
  }
  return { rows, truth };
}
