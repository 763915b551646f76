import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { recordId, reportRecords, type ReportedVersion } from './report-records';

const classifier: ReportedVersion = {
  task: 'classification',
  inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 2] }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1, 1] },
    { name: 'probability', datatype: 'FP32', shape: [-1, 2] },
  ],
  featureNames: ['age', 'income'],
};

const feeds = { X: new ort.Tensor('float32', Float32Array.from([30, 2, 50, 1]), [2, 2]) };
const result = {
  label: new ort.Tensor('int64', BigInt64Array.from([1n, 0n]), [2, 1]),
  probability: new ort.Tensor('float32', Float32Array.from([0.25, 0.75, 0.5, 0.5]), [2, 2]),
};

describe('reportRecords', () => {
  it('reports one record per row: features by feature_names, the positive-class probability, row ids', () => {
    const records = reportRecords(classifier, { id: 'req', timestamp: '2026-11-21T09:00:00.000Z', latencyMs: 3, feeds, result });
    expect(records).toEqual([
      { id: 'req', timestamp: '2026-11-21T09:00:00.000Z', features: { age: 30, income: 2 }, prediction: 0.75, latencyMs: 3 },
      { id: 'req#1', timestamp: '2026-11-21T09:00:00.000Z', features: { age: 50, income: 1 }, prediction: 0.5, latencyMs: 3 },
    ]);
  });

  it('names columns by input and index without feature_names, and reports a regressor’s prediction', () => {
    const regressor: ReportedVersion = { task: 'regression', inputs: classifier.inputs, outputs: [{ name: 'prediction', datatype: 'FP32', shape: [-1, 1] }], featureNames: null };
    const [record] = reportRecords(regressor, {
      id: 'r',
      timestamp: 't',
      latencyMs: 1,
      feeds: { X: new ort.Tensor('float32', Float32Array.from([7, 8]), [1, 2]) },
      result: { prediction: new ort.Tensor('float32', Float32Array.from([42]), [1, 1]) },
    });
    expect(record).toMatchObject({ features: { 'X[0]': 7, 'X[1]': 8 }, prediction: 42 });
  });

  it('reports a failure as one record with its error, and generates an id when the request had none', () => {
    const records = reportRecords(classifier, { id: undefined, timestamp: 't', latencyMs: 1, feeds: null, result: null, error: 'input "X" has shape [1,3]' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ features: {}, prediction: 0, error: 'input "X" has shape [1,3]' });
    expect(records[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps ids within the API’s 200 characters, suffix included', () => {
    expect(recordId('short')).toBe('short');
    const long = recordId('x'.repeat(500));
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(recordId('x'.repeat(500))).toBe(long);
  });
});
