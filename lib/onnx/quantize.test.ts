import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { buildDemoModels } from '@/lib/demo/build-demo-models';
import { DEMO_DATASETS, generate } from '@/lib/demo/datasets';
import { compareModelOutputs } from './compare-outputs';
import { writeLinearModel } from './linear-model';
import { toFloat16Bits } from './float16';
import { quantizeInt8, quantizeModel, VariantUnavailableError } from './quantize';

const demos = buildDemoModels();
const fraud = demos.find((m) => m.model === 'fraud-detector')!.versions[2]!;
const demand = demos.find((m) => m.model === 'demand-forecast')!.versions[3]!;
const heldOut = (model: string) => generate(DEMO_DATASETS[model]!, 2_000, { seed: 99 }).rows;

describe('toFloat16Bits', () => {
  it('matches IEEE binary16 for exact, rounded, subnormal and overflowing values', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(0.1)).toBe(0x2e66);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // a tie rounds to even
    expect(toFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });
});

describe('quantizeInt8', () => {
  it('maps the largest magnitude to ±127 and keeps the rest within half a step', () => {
    const values = [0.5, -1.27, 0.013, 0];
    const { quantized, scale } = quantizeInt8(values);
    expect(Math.max(...Array.from(quantized, Math.abs))).toBe(127);
    values.forEach((v, i) => expect(Math.abs(quantized[i]! * scale - v)).toBeLessThanOrEqual(scale / 2 + 1e-9));
  });
});

describe('quantizeModel', () => {
  it('float16: loads in onnxruntime, is smaller in weights, and scores within 1e-3 of the original', async () => {
    const variant = quantizeModel(fraud.onnx, 'float16');
    const session = await ort.InferenceSession.create(variant);
    expect(session.outputNames).toEqual(['probability', 'label']);
    await session.release();
    const comparison = await compareModelOutputs(fraud.onnx, variant, heldOut('fraud-detector'));
    const probability = comparison.outputs.find((o) => o.name === 'probability')!;
    expect(probability.maxAbsDiff).toBeLessThan(1e-3);
    expect(probability.maxAbsDiff).toBeGreaterThan(0); // the weights really changed
    expect(comparison.outputs.find((o) => o.name === 'label')!.agreement).toBeGreaterThan(0.995);
  });

  it('int8 (per-tensor scale): within 0.05 of the original on churn-predictor, whose weights share a scale', async () => {
    const churn = demos.find((m) => m.model === 'churn-predictor')!.versions[2]!;
    const variant = quantizeModel(churn.onnx, 'int8');
    const comparison = await compareModelOutputs(churn.onnx, variant, heldOut('churn-predictor'));
    const probability = comparison.outputs.find((o) => o.name === 'probability')!;
    expect(probability.maxAbsDiff).toBeGreaterThan(0);
    expect(probability.maxAbsDiff).toBeLessThan(0.05);
    expect(comparison.outputs.find((o) => o.name === 'label')!.agreement).toBeGreaterThan(0.99);
  });

  it('int8 is far off where raw-unit weights differ by orders of magnitude (fraud-detector), which is why the difference is measured and shown', async () => {
    const comparison = await compareModelOutputs(fraud.onnx, quantizeModel(fraud.onnx, 'int8'), heldOut('fraud-detector'));
    expect(comparison.outputs.find((o) => o.name === 'probability')!.maxAbsDiff).toBeGreaterThan(0.1);
  });

  it('float16 on a regression: predictions (~48 units a day) move by less than 0.05', async () => {
    const comparison = await compareModelOutputs(demand.onnx, quantizeModel(demand.onnx, 'float16'), heldOut('demand-forecast'));
    expect(comparison.outputs[0]!.maxAbsDiff).toBeLessThan(0.05);
  });

  it('saves 2 bytes per weight as float16 and 3 as int8', () => {
    const n = 4_096;
    const weights = Array.from({ length: n }, (_, i) => Math.sin(i));
    const bytes = writeLinearModel({ kind: 'linear', featureNames: weights.map((_, i) => `f${i}`), weights, bias: 1 });
    expect(bytes.length - quantizeModel(bytes, 'float16').length).toBeGreaterThan(1.95 * n);
    expect(bytes.length - quantizeModel(bytes, 'int8').length).toBeGreaterThan(2.95 * n);
  });

  it('refuses a graph with no weight tensor to shrink, and bytes that are not ONNX', () => {
    const single = writeLinearModel({ kind: 'linear', featureNames: ['x'], weights: [3], bias: -1 });
    expect(() => quantizeModel(single, 'int8')).toThrow(VariantUnavailableError);
    expect(() => quantizeModel(new TextEncoder().encode('not a model at all'), 'float16')).toThrow(VariantUnavailableError);
  });
});
