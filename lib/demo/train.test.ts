import { describe, expect, it } from 'vitest';
import { createRandom } from './random';
import { predict, solve, trainLinearRegression, trainLogisticRegression } from './train';

describe('solve', () => {
  it('solves a small system and refuses a singular one', () => {
    const x = solve([[2, 1], [1, 3]], [3, 5]);
    expect(x[0]).toBeCloseTo(0.8, 12);
    expect(x[1]).toBeCloseTo(1.4, 12);
    expect(() => solve([[1, 2], [2, 4]], [1, 2])).toThrow(/Singular/);
  });
});

describe('training on raw values of very different scales', () => {
  const random = createRandom(3);
  const rows = Array.from({ length: 20_000 }, () => [random.normal(1000, 300), random.normal(0, 0.01), random.normal(5, 1)]);

  it('recovers the coefficients of a linear relationship, with scaling folded back into raw weights', () => {
    const targets = rows.map(([a, b, c]) => 3 + 0.02 * a! - 400 * b! + 1.5 * c! + random.normal(0, 0.5));
    const model = trainLinearRegression(rows, targets, { l2: 1e-6 });
    expect(model.weights[0]).toBeCloseTo(0.02, 3);
    expect(model.weights[1]).toBeCloseTo(-400, -1);
    expect(model.weights[2]).toBeCloseTo(1.5, 1);
    expect(model.bias).toBeCloseTo(3, 0);
  });

  it('recovers the coefficients of a logistic relationship and leaves unused columns at 0', () => {
    const truth = (r: readonly number[]) => -1 + 0.004 * (r[0]! - 1000) + 0.8 * (r[2]! - 5);
    const targets = rows.map((r) => random.bernoulli(1 / (1 + Math.exp(-truth(r)))));
    const model = trainLogisticRegression(rows, targets, { l2: 1e-6, columns: [0, 2] });
    expect(model.weights[1]).toBe(0);
    expect(model.weights[0]).toBeCloseTo(0.004, 3);
    expect(model.weights[2]).toBeCloseTo(0.8, 1);
    const probe = [1200, 0, 6];
    expect(predict(model, probe)).toBeCloseTo(1 / (1 + Math.exp(-truth(probe))), 1);
  });

  it('shrinks the weights under a strong L2 penalty', () => {
    const targets = rows.map(([a]) => 0.02 * a! + random.normal(0, 1));
    const weak = trainLinearRegression(rows, targets, { l2: 1e-6 });
    const strong = trainLinearRegression(rows, targets, { l2: 20_000 });
    expect(Math.abs(strong.weights[0]!)).toBeLessThan(Math.abs(weak.weights[0]!) * 0.75);
  });
});
