/**
 * Open Inference Protocol v2 (REST) on top of onnxruntime: tensor metadata from the ONNX graph,
 * request validation against it, and conversion between JSON tensors and onnxruntime tensors.
 * Datatype names, shapes (-1 for a dynamic dimension), row-major `data` given flat or nested,
 * and the `outputs` selection follow kserve's docs/predict-api/v2/required_api.md.
 */
import * as ort from 'onnxruntime-node';

export type OipDatatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

export interface TensorMetadata {
  name: string;
  datatype: OipDatatype;
  /** -1 for a dynamic (symbolic or unknown) dimension. */
  shape: number[];
}

export interface OipTensor {
  name: string;
  datatype: OipDatatype;
  shape: number[];
  data: Array<number | boolean | string>;
}

/** A client mistake: answered with 400 and `{"error": message}`. */
export class InferenceInputError extends Error {}

const ORT_TO_OIP: Partial<Record<ort.Tensor.Type, OipDatatype>> = {
  bool: 'BOOL',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float16: 'FP16',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
};

const INTEGER_RANGES: Partial<Record<OipDatatype, [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Graph inputs or outputs as OIP tensor metadata; a non-tensor or unsupported type makes the model unservable. */
export function tensorMetadata(values: readonly ort.InferenceSession.ValueMetadata[]): TensorMetadata[] {
  return values.map((value) => {
    if (!value.isTensor) throw new Error(`"${value.name}" is not a tensor; only tensor inputs and outputs are served.`);
    const datatype = ORT_TO_OIP[value.type];
    if (!datatype) throw new Error(`"${value.name}" has element type ${value.type}, which the protocol cannot carry.`);
    return { name: value.name, datatype, shape: value.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) };
  });
}

export function describeSignature(tensors: readonly TensorMetadata[]): string {
  return tensors.map((t) => `${t.name} ${t.datatype} [${t.shape.join(',')}]`).join(', ');
}

function flatten(data: unknown, into: unknown[]): void {
  if (Array.isArray(data)) for (const item of data) flatten(item, into);
  else into.push(data);
}

// IEEE 754 binary16 from a JS number (round to nearest even), for FP16 inputs.
function toHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1;
  return sign | half;
}

function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function checkElements(name: string, datatype: OipDatatype, values: unknown[]): void {
  const range = INTEGER_RANGES[datatype];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let ok: boolean;
    if (datatype === 'BOOL') ok = typeof v === 'boolean';
    else if (datatype === 'BYTES') ok = typeof v === 'string';
    else if (range) ok = typeof v === 'number' && Number.isInteger(v) && v >= range[0] && v <= range[1];
    else ok = typeof v === 'number';
    if (!ok) {
      const wanted = datatype === 'BOOL' ? 'true or false' : datatype === 'BYTES' ? 'a string' : range ? `an integer in ${range[0]}..${range[1]}` : 'a number';
      throw new InferenceInputError(`input "${name}": element ${i} is ${JSON.stringify(v) ?? String(v)}, expected ${wanted} (${datatype}).`);
    }
  }
}

function toOrtTensor(datatype: OipDatatype, values: unknown[], shape: number[]): ort.Tensor {
  switch (datatype) {
    case 'BOOL':
      return new ort.Tensor('bool', Uint8Array.from(values as boolean[], (b) => (b ? 1 : 0)), shape);
    case 'BYTES':
      return new ort.Tensor('string', values as string[], shape);
    case 'UINT8':
      return new ort.Tensor('uint8', Uint8Array.from(values as number[]), shape);
    case 'UINT16':
      return new ort.Tensor('uint16', Uint16Array.from(values as number[]), shape);
    case 'UINT32':
      return new ort.Tensor('uint32', Uint32Array.from(values as number[]), shape);
    case 'UINT64':
      return new ort.Tensor('uint64', BigUint64Array.from(values as number[], (n) => BigInt(n)), shape);
    case 'INT8':
      return new ort.Tensor('int8', Int8Array.from(values as number[]), shape);
    case 'INT16':
      return new ort.Tensor('int16', Int16Array.from(values as number[]), shape);
    case 'INT32':
      return new ort.Tensor('int32', Int32Array.from(values as number[]), shape);
    case 'INT64':
      return new ort.Tensor('int64', BigInt64Array.from(values as number[], (n) => BigInt(n)), shape);
    case 'FP16':
      return new ort.Tensor('float16', Uint16Array.from(values as number[], toHalfBits), shape);
    case 'FP32':
      return new ort.Tensor('float32', Float32Array.from(values as number[]), shape);
    case 'FP64':
      return new ort.Tensor('float64', Float64Array.from(values as number[]), shape);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ParsedInferRequest {
  id?: string;
  feeds: Record<string, ort.Tensor>;
  /** Requested output names, in request order; undefined means every graph output. */
  outputs?: string[];
}

/**
 * Validates an inference request body against the model's graph signature and builds the
 * onnxruntime feeds. Every mistake is an InferenceInputError naming the expected signature.
 */
export function parseInferRequest(body: unknown, inputs: readonly TensorMetadata[], outputs: readonly TensorMetadata[]): ParsedInferRequest {
  // Built only when a message needs it: this runs on every request.
  const signature = { toString: () => `expected inputs: ${describeSignature(inputs)}` };
  if (!isRecord(body)) throw new InferenceInputError('The request body must be a JSON object with an "inputs" array.');
  if (body.id !== undefined && typeof body.id !== 'string') throw new InferenceInputError('"id" must be a string.');
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) throw new InferenceInputError(`"inputs" must be a non-empty array; ${signature}.`);

  const feeds: Record<string, ort.Tensor> = {};
  for (const [index, raw] of body.inputs.entries()) {
    if (!isRecord(raw)) throw new InferenceInputError(`inputs[${index}] must be an object with name, shape, datatype and data.`);
    const { name, shape, datatype, data } = raw;
    if (typeof name !== 'string') throw new InferenceInputError(`inputs[${index}].name must be a string; ${signature}.`);
    const expected = inputs.find((t) => t.name === name);
    if (!expected) throw new InferenceInputError(`unknown input "${name}"; ${signature}.`);
    if (feeds[name]) throw new InferenceInputError(`input "${name}" is given twice.`);
    if (datatype !== expected.datatype) {
      throw new InferenceInputError(`input "${name}" has datatype ${JSON.stringify(datatype)}, expected ${expected.datatype}; ${signature}.`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
      throw new InferenceInputError(`input "${name}": shape must be an array of non-negative integers; ${signature}.`);
    }
    const dims = shape as number[];
    const rankKnown = expected.shape.length > 0;
    if (rankKnown && (dims.length !== expected.shape.length || dims.some((d, i) => expected.shape[i] !== -1 && expected.shape[i] !== d))) {
      throw new InferenceInputError(`input "${name}" has shape [${dims.join(',')}], expected [${expected.shape.join(',')}]; ${signature}.`);
    }
    if (!Array.isArray(data)) throw new InferenceInputError(`input "${name}": data must be an array (flat or nested, row-major).`);
    const values: unknown[] = [];
    flatten(data, values);
    const count = dims.reduce((a, b) => a * b, 1);
    if (values.length !== count) {
      throw new InferenceInputError(`input "${name}" has ${values.length} elements in data, but shape [${dims.join(',')}] needs ${count}.`);
    }
    checkElements(name, expected.datatype, values);
    feeds[name] = toOrtTensor(expected.datatype, values, dims);
  }
  const missing = inputs.filter((t) => !feeds[t.name]).map((t) => t.name);
  if (missing.length > 0) throw new InferenceInputError(`missing input ${missing.map((m) => `"${m}"`).join(', ')}; ${signature}.`);

  let requested: string[] | undefined;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw new InferenceInputError('"outputs" must be an array of {"name": …}.');
    requested = [];
    for (const [index, raw] of body.outputs.entries()) {
      if (!isRecord(raw) || typeof raw.name !== 'string') throw new InferenceInputError(`outputs[${index}] must be an object with a "name".`);
      if (!outputs.some((t) => t.name === raw.name)) {
        throw new InferenceInputError(`unknown output "${raw.name}"; the model's outputs: ${describeSignature(outputs)}.`);
      }
      if (!requested.includes(raw.name)) requested.push(raw.name);
    }
    if (requested.length === 0) requested = undefined;
  }
  return { id: body.id as string | undefined, feeds, outputs: requested };
}

/** An onnxruntime result as an OIP response output (data flattened, row-major). */
export function toOipTensor(name: string, tensor: ort.Tensor): OipTensor {
  const datatype = ORT_TO_OIP[tensor.type];
  if (!datatype) throw new Error(`output "${name}" has element type ${tensor.type}, which the protocol cannot carry.`);
  const source = tensor.data as ArrayLike<number | bigint | string>;
  // Plain loops: Array.from with a mapper goes through the iterator protocol and showed up in
  // the serving benchmark's profile.
  const data = new Array<number | boolean | string>(source.length);
  if (datatype === 'BOOL') for (let i = 0; i < source.length; i++) data[i] = source[i] !== 0;
  else if (datatype === 'BYTES') for (let i = 0; i < source.length; i++) data[i] = source[i] as string;
  else if (datatype === 'FP16') for (let i = 0; i < source.length; i++) data[i] = fromHalfBits(source[i] as number);
  else for (let i = 0; i < source.length; i++) data[i] = Number(source[i]);
  return { name, datatype, shape: [...tensor.dims], data };
}

/** A zero-filled input for each graph input (dynamic dimensions as 1): the warm-up inference. */
export function zeroFeeds(inputs: readonly TensorMetadata[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    const dims = input.shape.length > 0 ? input.shape.map((d) => (d === -1 ? 1 : d)) : [1];
    const count = dims.reduce((a, b) => a * b, 1);
    const zero = input.datatype === 'BOOL' ? false : input.datatype === 'BYTES' ? '' : 0;
    feeds[input.name] = toOrtTensor(input.datatype, new Array<unknown>(count).fill(zero), dims);
  }
  return feeds;
}
