import onnxProto, { type onnx } from 'onnx-proto';
import { toFloat16Bits } from './float16';

// onnx-proto is CommonJS: the values come from its default export (see linear-model.ts).
const proto = onnxProto.onnx;
const { DataType } = proto.TensorProto;

export const MODEL_VARIANTS = ['float16', 'int8'] as const;
export type ModelVariant = (typeof MODEL_VARIANTS)[number];

/**
 * Weight tensors smaller than this stay float32: biases and thresholds (a logistic graph's
 * 0.5) are a few bytes, and rounding a decision threshold would move labels for nothing.
 */
const MIN_ELEMENTS = 2;

/** The graph has nothing a variant could shrink (no float32 weight tensor), or cannot be read. */
export class VariantUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariantUnavailableError';
  }
}

/**
 * A smaller copy of an ONNX graph: float32 weight initializers stored as float16 (each
 * followed by a Cast back to float32) or as int8 with one symmetric scale per tensor
 * (followed by a DequantizeLinear). Computation stays float32, so every op the original
 * uses still has a kernel; only the stored weights lose precision.
 */
export function quantizeModel(bytes: Uint8Array, variant: ModelVariant): Uint8Array {
  let model: onnx.ModelProto;
  try {
    model = proto.ModelProto.decode(bytes);
  } catch (error) {
    throw new VariantUnavailableError(`The artifact is not an ONNX model: ${error instanceof Error ? error.message : String(error)}`);
  }
  const graph = model.graph;
  if (!graph) throw new VariantUnavailableError('The ONNX model has no graph.');
  const opset = model.opsetImport.find((entry) => !entry.domain)?.version;
  // DequantizeLinear with an int8 zero point needs opset 10; Cast from float16 exists in every opset.
  if (variant === 'int8' && opset !== undefined && Number(opset) < 10) {
    throw new VariantUnavailableError(`int8 weights need ONNX opset 10 or later; this graph uses opset ${Number(opset)}.`);
  }
  const graphInputs = new Set((graph.input ?? []).map((input) => input.name));
  const kept: onnx.ITensorProto[] = [];
  const added: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  for (const tensor of graph.initializer ?? []) {
    const name = tensor.name ?? '';
    const values = name && tensor.dataType === DataType.FLOAT && !graphInputs.has(name) ? floatValues(tensor) : null;
    if (!values || values.length < MIN_ELEMENTS || tensor.dataLocation === proto.TensorProto.DataLocation.EXTERNAL) {
      kept.push(tensor);
      continue;
    }
    const dims = (tensor.dims ?? []).map(Number);
    if (variant === 'float16') {
      const stored = `${name}__float16`;
      added.push({ name: stored, dims, dataType: DataType.FLOAT16, rawData: float16Bytes(values) });
      nodes.push({ opType: 'Cast', name: `${name}__cast`, input: [stored], output: [name], attribute: [{ name: 'to', type: proto.AttributeProto.AttributeType.INT, i: DataType.FLOAT }] });
    } else {
      const { quantized, scale } = quantizeInt8(values);
      const base = `${name}__int8`;
      added.push(
        { name: base, dims, dataType: DataType.INT8, rawData: new Uint8Array(quantized.buffer) },
        { name: `${base}_scale`, dims: [], dataType: DataType.FLOAT, floatData: [scale] },
        { name: `${base}_zero_point`, dims: [], dataType: DataType.INT8, int32Data: [0] },
      );
      nodes.push({ opType: 'DequantizeLinear', name: `${name}__dequantize`, input: [base, `${base}_scale`, `${base}_zero_point`], output: [name] });
    }
  }
  if (nodes.length === 0) throw new VariantUnavailableError(`The graph has no float32 weight tensor with at least ${MIN_ELEMENTS} values to store as ${variant}.`);

  graph.initializer = [...kept, ...added] as onnx.TensorProto[];
  // The new nodes produce the weights' old names, so they go first (nodes are topologically sorted).
  graph.node = [...nodes, ...(graph.node ?? [])] as onnx.NodeProto[];
  model.metadataProps = [...model.metadataProps.filter((entry) => entry.key !== 'modeldeck_variant'), proto.StringStringEntryProto.create({ key: 'modeldeck_variant', value: variant })];
  return proto.ModelProto.encode(model).finish();
}

function floatValues(tensor: onnx.ITensorProto): Float32Array | null {
  if (tensor.rawData && tensor.rawData.length > 0) {
    const raw = tensor.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(raw.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  return tensor.floatData ? Float32Array.from(tensor.floatData) : null;
}

/** Symmetric per-tensor int8: zero point 0, scale = max |w| / 127. */
export function quantizeInt8(values: ArrayLike<number>): { quantized: Int8Array; scale: number } {
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]!));
  // An all-zero tensor still needs a positive scale to be a valid DequantizeLinear input.
  const scale = Math.fround(maxAbs > 0 ? maxAbs / 127 : 1);
  const quantized = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) quantized[i] = Math.max(-127, Math.min(127, Math.round(values[i]! / scale)));
  return { quantized, scale };
}

function float16Bytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, toFloat16Bits(values[i]!), true);
  return out;
}
