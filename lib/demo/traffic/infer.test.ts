import { describe, expect, it } from 'vitest';
import { buildInferRequest, errorText, modelUrl, readInferResponse } from './infer';
import { percentile } from './traffic-stats';

describe('OIP v2 requests', () => {
  it('sends the rows as one FP32 input X of shape [rows, features], row-major', () => {
    expect(buildInferRequest('r-1', [[1, 2, 3], [4, 5, 6]])).toEqual({
      id: 'r-1',
      inputs: [{ name: 'X', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] }],
    });
    expect(() => buildInferRequest('r-2', [[1, 2], [3]])).toThrow(/same non-zero width/);
    expect(() => buildInferRequest('r-3', [])).toThrow(/at least one row/);
  });

  it('addresses a model under its environment’s endpoint', () => {
    expect(modelUrl('http://127.0.0.1:8090', 'production', 'fraud-detector', '/infer')).toBe('http://127.0.0.1:8090/environments/production/v2/models/fraud-detector/infer');
  });

  it('reads the answering version, the record id and the outputs, int64 labels included', () => {
    const result = readInferResponse({
      model_name: 'fraud-detector',
      model_version: '3',
      id: 'r-1',
      outputs: [
        { name: 'probability', shape: [1, 1], datatype: 'FP32', data: [0.25] },
        { name: 'label', shape: [1, 1], datatype: 'INT64', data: ['0'] },
      ],
    });
    expect(result).toEqual({ modelVersion: '3', id: 'r-1', outputs: { probability: [0.25], label: [0] } });
    expect(() => readInferResponse({ error: 'nope' })).toThrow(/Not an OIP v2 infer response/);
  });

  it('turns an error answer into a short text', () => {
    expect(errorText(503, { error: 'model not ready' })).toBe('503 model not ready');
    expect(errorText(502, null)).toBe('HTTP 502');
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([], 0.95)).toBeNull();
    expect(percentile([5], 0.95)).toBe(5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => 100 - i), 0.95)).toBe(95);
  });
});
