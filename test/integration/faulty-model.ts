/**
 * A logistic model that loads and warms up (zeros) fine but fails at run time for real
 * inputs: the features go through a Gather whose indices are the truncated feature values
 * into a one-element table, so any feature ≥ 1 is an out-of-range index and onnxruntime
 * refuses the run. The model server answers those requests with an error — a bad canary.
 */
import onnxProto, { type onnx } from 'onnx-proto';
import { writeLinearModel } from '@/lib/onnx/linear-model';

const proto = onnxProto.onnx;

export function writeFaultyModel(weights: number[]): Uint8Array {
  const model = proto.ModelProto.decode(writeLinearModel({ kind: 'logistic', featureNames: weights.map((_, i) => `f${i}`), weights, bias: 0 }));
  const graph = model.graph!;
  const nodes: onnx.INodeProto[] = [
    { opType: 'Cast', input: ['X'], output: ['x_index'], name: 'fault_cast', attribute: [{ name: 'to', type: proto.AttributeProto.AttributeType.INT, i: proto.TensorProto.DataType.INT64 }] },
    { opType: 'Gather', input: ['one_table', 'x_index'], output: ['ones'], name: 'fault_gather', attribute: [{ name: 'axis', type: proto.AttributeProto.AttributeType.INT, i: 0 }] },
    { opType: 'Mul', input: ['X', 'ones'], output: ['x_checked'], name: 'fault_mul' },
  ];
  for (const node of graph.node ?? []) node.input = (node.input ?? []).map((name) => (name === 'X' ? 'x_checked' : name));
  graph.node = [...nodes, ...(graph.node ?? [])];
  graph.initializer = [...(graph.initializer ?? []), { name: 'one_table', dims: [1], dataType: proto.TensorProto.DataType.FLOAT, floatData: [1] }];
  return proto.ModelProto.encode(model).finish();
}
