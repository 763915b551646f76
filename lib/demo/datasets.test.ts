import { describe, expect, it } from 'vitest';
import { churnDataset, createSampler, demandDataset, fraudDataset, generate } from './datasets';

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const column = (rows: number[][], index: number) => rows.map((r) => r[index]!);

describe('demo datasets', () => {
  it('draw the same rows and ground truth for the same seed, and others for another seed', () => {
    const a = generate(fraudDataset, 50, { seed: 5 });
    expect(generate(fraudDataset, 50, { seed: 5 })).toEqual(a);
    expect(generate(fraudDataset, 50, { seed: 6 }).rows).not.toEqual(a.rows);
  });

  it('have realistic base rates and values inside each feature’s range', () => {
    const fraud = generate(fraudDataset, 20_000, { seed: 1 });
    expect(mean(fraud.truth)).toBeGreaterThan(0.04);
    expect(mean(fraud.truth)).toBeLessThan(0.1);
    const churn = generate(churnDataset, 10_000, { seed: 1 });
    expect(mean(churn.truth)).toBeGreaterThan(0.15);
    expect(mean(churn.truth)).toBeLessThan(0.3);
    for (const [dataset, rows] of [[fraudDataset, fraud.rows], [churnDataset, churn.rows], [demandDataset, generate(demandDataset, 5_000, { seed: 1 }).rows]] as const) {
      dataset.features.forEach((feature, i) => {
        const values = column(rows as number[][], i);
        expect(Math.min(...values), feature.name).toBeGreaterThanOrEqual(feature.min);
        expect(Math.max(...values), feature.name).toBeLessThanOrEqual(feature.max);
        if (feature.integer) expect(values.every(Number.isInteger), feature.name).toBe(true);
      });
    }
  });

  it('shift one feature’s distribution, and the ground truth follows the shifted values', () => {
    const base = generate(fraudDataset, 5_000, { seed: 3 });
    const shifted = generate(fraudDataset, 5_000, { seed: 3, shifts: [{ feature: 'amount', factor: 3 }] });
    expect(mean(column(shifted.rows, 0))).toBeGreaterThan(2.5 * mean(column(base.rows, 0)));
    expect(column(shifted.rows, 1)).toEqual(column(base.rows, 1));
    // Larger amounts are riskier in the known relationship, so more of the shifted payments are fraud.
    expect(mean(shifted.truth)).toBeGreaterThan(mean(base.truth) * 1.3);
  });

  it('clamp a shifted value to the feature’s range and keep counts whole', () => {
    const next = createSampler(churnDataset, { seed: 1, shifts: [{ feature: 'contract_type', offset: 5 }, { feature: 'support_tickets_90d', factor: 1.5, offset: 0.2 }] });
    for (let i = 0; i < 200; i++) {
      const { features } = next();
      expect(features[2]).toBe(2);
      expect(Number.isInteger(features[3])).toBe(true);
    }
  });

  it('refuse a shift of a feature the model does not have, naming the ones it has', () => {
    expect(() => createSampler(demandDataset, { seed: 1, shifts: [{ feature: 'amount', factor: 2 }] })).toThrow(
      'demand-forecast has no feature "amount"; its features are store_id, price, promo, lag_7, temperature_c, day_of_week.',
    );
    expect(() => createSampler(demandDataset, { seed: 1, shifts: [{ feature: 'price', factor: Number.NaN }] })).toThrow(/finite/);
  });
});
