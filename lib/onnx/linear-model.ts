import onnxProto, { type onnx } from 'onnx-proto';

// onnx-proto is CommonJS: Node's ESM loader (scripts run with tsx) cannot see its named
// exports, so the values come from the default export; the types keep their names.
const proto = onnxProto.onnx;

/**
 * A linear model (regression) or logistic regression (binary classifier) as an ONNX graph.
 * Feature scaling is expected to be folded into the weights by the trainer, so the graph
 * takes raw feature values in the order of `featureNames`.
 */
export interface LinearModelSpec {
  kind: 'linear' | 'logistic';
  featureNames: readonly string[];
  weights: readonly number[];
  bias: number;
  /** Stored as ONNX metadata_props (strings), e.g. the training run's metrics. */
  metadata?: Record<string, string>;
}

/** Input and output names, shared by the writer, the model server's tests and the demo. */
export const LINEAR_MODEL_IO = {
  input: 'X',
  /** logistic: positive-class probability [N, 1] float; linear: the prediction [N, 1] float. */
  score: { logistic: 'probability', linear: 'prediction' },
  /** logistic only: 0/1 label [N, 1] int64 (probability ≥ 0.5). */
  label: 'label',
} as const;

const FLOAT = proto.TensorProto.DataType.FLOAT;
const INT64 = proto.TensorProto.DataType.INT64;

function tensorType(elemType: number, dims: Array<number | string>): onnx.ITypeProto {
  return {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  };
}

function floatInitializer(name: string, dims: number[], values: readonly number[]): onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, floatData: [...values] };
}

/** Encodes the model as ONNX bytes (IR version 8, opset 17), loadable by onnxruntime. */
export function writeLinearModel(spec: LinearModelSpec): Uint8Array {
  const features = spec.featureNames.length;
  if (features === 0 || spec.weights.length !== features) {
    throw new Error(`Expected one weight per feature (${features}), got ${spec.weights.length}.`);
  }
  if (![...spec.weights, spec.bias].every(Number.isFinite)) throw new Error('Weights and bias must be finite numbers.');

  const { input } = LINEAR_MODEL_IO;
  const score = LINEAR_MODEL_IO.score[spec.kind];
  const nodes: onnx.INodeProto[] = [
    { opType: 'MatMul', input: [input, 'W'], output: ['xw'], name: 'matmul' },
    { opType: 'Add', input: ['xw', 'B'], output: [spec.kind === 'logistic' ? 'logit' : score], name: 'add' },
  ];
  const outputs: onnx.IValueInfoProto[] = [{ name: score, type: tensorType(FLOAT, ['N', 1]) }];
  const initializers = [floatInitializer('W', [features, 1], spec.weights), floatInitializer('B', [1], [spec.bias])];

  if (spec.kind === 'logistic') {
    nodes.push(
      { opType: 'Sigmoid', input: ['logit'], output: [score], name: 'sigmoid' },
      // label = probability >= 0.5, i.e. NOT (probability < 0.5)
      { opType: 'Less', input: [score, 'half'], output: ['below'], name: 'less' },
      { opType: 'Not', input: ['below'], output: ['positive'], name: 'not' },
      { opType: 'Cast', input: ['positive'], output: [LINEAR_MODEL_IO.label], name: 'cast', attribute: [{ name: 'to', type: proto.AttributeProto.AttributeType.INT, i: INT64 }] },
    );
    initializers.push(floatInitializer('half', [], [0.5]));
    outputs.push({ name: LINEAR_MODEL_IO.label, type: tensorType(INT64, ['N', 1]) });
  }

  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'modeldeck',
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: Object.entries({ feature_names: JSON.stringify(spec.featureNames), ...spec.metadata }).map(([key, value]) => ({ key, value })),
    graph: {
      name: `${spec.kind}_regression`,
      node: nodes,
      initializer: initializers,
      input: [{ name: input, type: tensorType(FLOAT, ['N', features]) }],
      output: outputs,
    },
  };
  return proto.ModelProto.encode(model).finish();
}
