/**
 * Training for the demo models: L2-regularised logistic regression by IRLS (Newton's method)
 * and ridge linear regression by the normal equations. Features are standardised for
 * training (so one L2 strength suits amounts in dollars and counts alike) and the scaling is
 * folded back into the weights, so the exported model takes raw feature values.
 */

export interface LinearModel {
  kind: 'logistic' | 'linear';
  /** One weight per input column, for raw (unscaled) values. Unused columns weigh 0. */
  weights: number[];
  bias: number;
}

export interface TrainOptions {
  /** L2 strength on the standardised weights (the intercept is not penalised). */
  l2: number;
  /** Column indices the model may use; the others get weight 0 (default: all). */
  columns?: readonly number[];
}

/** Solves A x = b (A square) by Gaussian elimination with partial pivoting. */
export function solve(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    if (Math.abs(a[pivot]![col]!) < 1e-12) throw new Error('Singular system: a feature is constant or duplicated; raise the L2 strength.');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / a[row]![row]!;
  }
  return x;
}

interface Standardised {
  /** Row-major n × p matrix of [1, z_1 … z_k] for the usable columns. */
  design: Float64Array;
  p: number;
  columns: number[];
  means: number[];
  sds: number[];
}

function standardise(rows: readonly (readonly number[])[], columns: readonly number[]): Standardised {
  const n = rows.length;
  const means = columns.map((c) => rows.reduce((s, r) => s + r[c]!, 0) / n);
  const sds = columns.map((c, j) => Math.sqrt(rows.reduce((s, r) => s + (r[c]! - means[j]!) ** 2, 0) / n));
  // A constant column carries no information and would make the system singular.
  const kept = columns.map((_, j) => j).filter((j) => sds[j]! > 0);
  const p = kept.length + 1;
  const design = new Float64Array(n * p);
  rows.forEach((r, i) => {
    design[i * p] = 1;
    kept.forEach((j, k) => (design[i * p + k + 1] = (r[columns[j]!]! - means[j]!) / sds[j]!));
  });
  return { design, p, columns: kept.map((j) => columns[j]!), means: kept.map((j) => means[j]!), sds: kept.map((j) => sds[j]!) };
}

/** Maps coefficients over [1, z…] back to weights and a bias over the raw columns. */
function unfold(kind: LinearModel['kind'], beta: readonly number[], s: Standardised, width: number): LinearModel {
  const weights = new Array<number>(width).fill(0);
  let bias = beta[0]!;
  s.columns.forEach((c, j) => {
    weights[c] = beta[j + 1]! / s.sds[j]!;
    bias -= (beta[j + 1]! * s.means[j]!) / s.sds[j]!;
  });
  return { kind, weights, bias };
}

function checkInput(rows: readonly (readonly number[])[], targets: readonly number[]): number {
  if (rows.length === 0 || rows.length !== targets.length) throw new Error(`Expected one target per row, got ${targets.length} for ${rows.length} rows.`);
  return rows[0]!.length;
}

/** (XᵀWX + l2·I') and Xᵀr, with the intercept (column 0) unpenalised. */
function penalisedSystem(s: Standardised, weight: Float64Array | null, residual: ArrayLike<number>, l2: number) {
  const { design, p } = s;
  const n = design.length / p;
  // Flat accumulators: this loop is most of the training time.
  const gram = new Float64Array(p * p);
  const rhs = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const w = weight === null ? 1 : weight[i]!;
    const r = residual[i]!;
    const offset = i * p;
    for (let a = 0; a < p; a++) {
      const xa = design[offset + a]!;
      rhs[a]! += xa * r;
      const wxa = w * xa;
      for (let b = a; b < p; b++) gram[a * p + b]! += wxa * design[offset + b]!;
    }
  }
  const lhs = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => (a <= b ? gram[a * p + b]! : gram[b * p + a]!) + (a === b && a > 0 ? l2 : 0)));
  return { lhs, rhs };
}

/** Ridge regression: minimises Σ(y − ŷ)² + l2·‖w_standardised‖². */
export function trainLinearRegression(rows: readonly (readonly number[])[], targets: readonly number[], options: TrainOptions): LinearModel {
  const width = checkInput(rows, targets);
  const s = standardise(rows, options.columns ?? rows[0]!.map((_, c) => c));
  const { lhs, rhs } = penalisedSystem(s, null, targets, options.l2);
  return unfold('linear', solve(lhs, rhs), s, width);
}

/**
 * Logistic regression (targets 0/1): minimises the negative log-likelihood + l2/2·‖w‖² by
 * Newton steps (IRLS); converges in a handful of iterations on the demo data.
 */
export function trainLogisticRegression(rows: readonly (readonly number[])[], targets: readonly number[], options: TrainOptions): LinearModel {
  const width = checkInput(rows, targets);
  const s = standardise(rows, options.columns ?? rows[0]!.map((_, c) => c));
  const { design, p } = s;
  const n = rows.length;
  const weight = new Float64Array(n);
  const residual = new Float64Array(n);
  let beta = new Array<number>(p).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let a = 0; a < p; a++) z += design[i * p + a]! * beta[a]!;
      const probability = sigmoid(z);
      weight[i] = Math.max(probability * (1 - probability), 1e-12);
      residual[i] = targets[i]! - probability;
    }
    // Newton step: (XᵀWX + λI) δ = Xᵀ(y − p) − λβ.
    const { lhs, rhs } = penalisedSystem(s, weight, residual, options.l2);
    for (let a = 1; a < p; a++) rhs[a]! -= options.l2 * beta[a]!;
    const step = solve(lhs, rhs);
    beta = beta.map((b, a) => b + step[a]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return unfold('logistic', beta, s, width);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** The model's output for one row of raw values: a probability (logistic) or a prediction (linear). */
export function predict(model: LinearModel, row: readonly number[]): number {
  const z = dot(model.weights, row) + model.bias;
  return model.kind === 'logistic' ? sigmoid(z) : z;
}
