import { describe, expect, it } from 'vitest';
import { compareVersions } from './compare-versions';

describe('compareVersions', () => {
  it('lines up metrics by name (sorted) with the delta other − base', () => {
    const { metrics } = compareVersions(
      { metrics: { f1: 0.7, accuracy: 0.9 }, params: {} },
      { metrics: { accuracy: 0.95, f1: 0.65 }, params: {} },
    );
    expect(metrics.map((m) => m.name)).toEqual(['accuracy', 'f1']);
    expect(metrics[0]).toMatchObject({ base: 0.9, other: 0.95 });
    expect(metrics[0]!.delta).toBeCloseTo(0.05, 10);
    expect(metrics[1]!.delta).toBeCloseTo(-0.05, 10);
  });

  it('shows a metric only one side reports with a null on the other side and no delta', () => {
    const { metrics } = compareVersions({ metrics: { auc: 0.8 }, params: {} }, { metrics: { rmse: 3 }, params: {} });
    expect(metrics).toEqual([
      { name: 'auc', base: 0.8, other: null, delta: null },
      { name: 'rmse', base: null, other: 3, delta: null },
    ]);
  });

  it('keeps a zero metric (not confused with missing)', () => {
    const { metrics } = compareVersions({ metrics: { loss: 0 }, params: {} }, { metrics: { loss: 0.5 }, params: {} });
    expect(metrics).toEqual([{ name: 'loss', base: 0, other: 0.5, delta: 0.5 }]);
  });

  it('classifies params as same, changed, added or removed', () => {
    const { params } = compareVersions(
      { metrics: {}, params: { lr: 0.1, depth: 6, optimizer: 'adam', dropout: null, layers: [1, 2] } },
      { metrics: {}, params: { lr: 0.01, depth: 6, seed: 42, dropout: null, layers: [1, 2] } },
    );
    expect(params).toEqual([
      { name: 'depth', base: 6, other: 6, change: 'same' },
      { name: 'dropout', base: null, other: null, change: 'same' },
      { name: 'layers', base: [1, 2], other: [1, 2], change: 'same' },
      { name: 'lr', base: 0.1, other: 0.01, change: 'changed' },
      { name: 'optimizer', base: 'adam', other: null, change: 'removed' },
      { name: 'seed', base: null, other: 42, change: 'added' },
    ]);
  });

  it('compares against nothing (no live version): every metric has no base', () => {
    const result = compareVersions({ metrics: {}, params: {} }, { metrics: { accuracy: 0.9 }, params: { lr: 1 } });
    expect(result.metrics).toEqual([{ name: 'accuracy', base: null, other: 0.9, delta: null }]);
    expect(result.params).toEqual([{ name: 'lr', base: null, other: 1, change: 'added' }]);
  });
});
