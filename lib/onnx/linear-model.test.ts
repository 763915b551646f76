import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { LINEAR_MODEL_IO, writeLinearModel } from './linear-model';

describe('writeLinearModel', () => {
  it('writes a logistic regression that onnxruntime loads and scores like the formula', async () => {
    const bytes = writeLinearModel({ kind: 'logistic', featureNames: ['a', 'b'], weights: [2, -1], bias: 0.5, metadata: { auc: '0.9' } });
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['X']);
    expect(session.outputNames).toEqual(['probability', 'label']);
    const rows = [[1, 1], [-2, 3]];
    const result = await session.run({ X: new ort.Tensor('float32', Float32Array.from(rows.flat()), [2, 2]) });
    const probability = Array.from(result[LINEAR_MODEL_IO.score.logistic]!.data as Float32Array);
    const expected = rows.map(([a, b]) => 1 / (1 + Math.exp(-(2 * a! - b! + 0.5))));
    probability.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 6));
    expect(Array.from(result.label!.data as BigInt64Array)).toEqual([1n, 0n]);
  });

  it('writes a linear regression', async () => {
    const bytes = writeLinearModel({ kind: 'linear', featureNames: ['x'], weights: [3], bias: -1 });
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({ X: new ort.Tensor('float32', Float32Array.from([2, 0]), [2, 1]) });
    expect(Array.from(result.prediction!.data as Float32Array)).toEqual([5, -1]);
    expect(session.outputNames).toEqual(['prediction']);
  });

  it('refuses a weight count that does not match the features', () => {
    expect(() => writeLinearModel({ kind: 'linear', featureNames: ['x', 'y'], weights: [1], bias: 0 })).toThrow(/one weight per feature/);
  });
});
