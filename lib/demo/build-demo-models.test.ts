import { execFileSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { LINEAR_MODEL_IO } from '@/lib/onnx/linear-model';
import { buildDemoModels, type DemoModel } from './build-demo-models';
import { DEMO_DATASETS, generate } from './datasets';
import { predict } from './train';

let models: DemoModel[];
const byName = (name: string) => models.find((m) => m.model === name)!;
const metric = (model: string, version: number, name: string) => byName(model).versions[version - 1]!.metrics[name]!;

beforeAll(() => {
  models = buildDemoModels();
});

describe('buildDemoModels', () => {
  it('builds the three demo models under the registry seed’s names, each with its feature schema', () => {
    expect(models.map((m) => [m.model, m.task, m.versions.length])).toEqual([
      ['fraud-detector', 'classification', 4],
      ['churn-predictor', 'classification', 5],
      ['demand-forecast', 'regression', 4],
    ]);
    expect(byName('fraud-detector').features.slice(0, 4)).toEqual([
      { name: 'amount', type: 'numeric' },
      { name: 'merchant_category', type: 'categorical' },
      { name: 'country_mismatch', type: 'categorical' },
      { name: 'txn_count_1h', type: 'numeric' },
    ]);
  });

  it('is deterministic: the same artifacts, hashes and metrics on every build', () => {
    const again = buildDemoModels();
    expect(again.map((m) => m.versions.map((v) => [v.sha256, v.metrics]))).toEqual(models.map((m) => m.versions.map((v) => [v.sha256, v.metrics])));
    expect(new Set(models.flatMap((m) => m.versions.map((v) => v.sha256))).size).toBe(13);
  });

  it('records held-out metrics in a sensible range', () => {
    for (const model of ['fraud-detector', 'churn-predictor']) {
      for (const version of byName(model).versions) {
        expect(Object.keys(version.metrics).sort()).toEqual(['accuracy', 'auc', 'f1', 'log_loss', 'precision', 'recall']);
        expect(version.metrics.auc).toBeGreaterThan(0.6);
        expect(version.metrics.auc).toBeLessThan(0.95);
      }
    }
    for (const version of byName('demand-forecast').versions) {
      expect(version.metrics.mae).toBeGreaterThan(2);
      expect(version.metrics.mae).toBeLessThan(8);
      expect(version.metrics.r2).toBeGreaterThan(0.8);
    }
  });

  it('makes v2 better than v1 on held-out data for every model, and the latest good version the best', () => {
    for (const model of ['fraud-detector', 'churn-predictor']) {
      expect(metric(model, 2, 'auc')).toBeGreaterThan(metric(model, 1, 'auc'));
      expect(metric(model, 2, 'log_loss')).toBeLessThan(metric(model, 1, 'log_loss'));
    }
    expect(metric('fraud-detector', 3, 'auc')).toBeGreaterThan(metric('fraud-detector', 2, 'auc'));
    expect(metric('churn-predictor', 5, 'auc')).toBeGreaterThan(metric('churn-predictor', 3, 'auc'));
    expect(metric('demand-forecast', 2, 'rmse')).toBeLessThan(metric('demand-forecast', 1, 'rmse'));
    expect(metric('demand-forecast', 4, 'rmse')).toBeLessThan(metric('demand-forecast', 2, 'rmse'));
  });

  it('makes fraud-detector v4 a bad canary: clearly worse than every other version, and says why', () => {
    const bad = byName('fraud-detector').versions[3]!;
    for (const version of [1, 2, 3]) expect(bad.metrics.auc).toBeLessThan(metric('fraud-detector', version, 'auc') - 0.1);
    expect(bad.metrics.f1).toBeLessThan(metric('fraud-detector', 1, 'f1'));
    expect(bad.params.pipeline_bug).toBe('swapped amount and account_age_days');
    expect(bad.description).toMatch(/Bad canary/);
  });

  it('keeps the input width of every version equal to the model’s feature count, so versions can share traffic', async () => {
    for (const model of models) {
      for (const version of model.versions) {
        const session = await ort.InferenceSession.create(version.onnx);
        const input = session.inputMetadata.find((m) => m.name === LINEAR_MODEL_IO.input)!;
        expect(input.isTensor && input.shape[1]).toBe(model.features.length);
        await session.release();
      }
    }
  });

  it('exports ONNX models that onnxruntime scores like the TypeScript model (1e-5)', async () => {
    for (const model of models) {
      const { rows } = generate(DEMO_DATASETS[model.model]!, 300, { seed: 99 });
      const X = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, model.features.length]);
      for (const version of model.versions) {
        const session = await ort.InferenceSession.create(version.onnx);
        const output = model.task === 'classification' ? LINEAR_MODEL_IO.score.logistic : LINEAR_MODEL_IO.score.linear;
        const scored = Array.from((await session.run({ X }))[output]!.data as Float32Array);
        await session.release();
        const worst = Math.max(
          ...rows.map((row, i) => {
            const expected = predict(version.model, row);
            // Regression outputs are tens of units: float32 carries ~7 significant digits.
            return Math.abs(scored[i]! - expected) / (model.task === 'regression' ? Math.max(1, Math.abs(expected)) : 1);
          }),
        );
        expect(worst, `${model.model} v${version.version}`).toBeLessThan(1e-5);
      }
    }
  });

  it('loads under Node’s own ESM loader (tsx), as the CLI and the seed run it', () => {
    const script = "const { buildDemoModels } = await import('./lib/demo/build-demo-models.ts'); console.log(buildDemoModels()[0].versions[2].sha256);";
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(output.trim()).toBe(byName('fraud-detector').versions[2]!.sha256);
  });
});
