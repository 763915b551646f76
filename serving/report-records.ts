/** One prediction report per row of an answered (or failed) infer request. */
import { createHash, randomUUID } from 'node:crypto';
import type * as ort from 'onnxruntime-node';
import type { TensorMetadata } from './oip';
import type { ReportRecord } from './reporter';
import type { Task } from './state-store';

export interface ReportedVersion {
  task: Task;
  inputs: readonly TensorMetadata[];
  outputs: readonly TensorMetadata[];
  /** `feature_names` from the ONNX metadata, in column order of the (single) input; null if absent. */
  featureNames: readonly string[] | null;
}

function rowsOf(tensor: ort.Tensor): number {
  return tensor.dims.length > 0 ? Number(tensor.dims[0]) : 1;
}

function widthOf(tensor: ort.Tensor): number {
  return tensor.dims.slice(1).reduce((a, b) => a * Number(b), 1);
}

function value(raw: unknown): number | string | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string') return raw.slice(0, 1000);
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  return null;
}

/** Features of each row: one input [N, F] named by `feature_names`; otherwise `input` or `input[j]`. */
export function rowFeatures(version: ReportedVersion, feeds: Record<string, ort.Tensor>): Array<Record<string, number | string | null>> {
  const tensors = version.inputs.map((input) => ({ name: input.name, tensor: feeds[input.name] })).filter((t) => t.tensor);
  const rows = tensors.length > 0 ? rowsOf(tensors[0]!.tensor!) : 0;
  const out: Array<Record<string, number | string | null>> = Array.from({ length: rows }, () => ({}));
  for (const { name, tensor } of tensors) {
    const width = widthOf(tensor!);
    const data = tensor!.data as ArrayLike<unknown>;
    const names =
      tensors.length === 1 && version.featureNames?.length === width
        ? version.featureNames
        : Array.from({ length: width }, (_, j) => (width === 1 ? name : `${name}[${j}]`));
    for (let row = 0; row < rows && row < out.length; row++) {
      for (let j = 0; j < width; j++) {
        // Booleans are stored as 0/1 bytes by onnxruntime; value() reads them as numbers.
        out[row]![names[j]!] = value(data[row * width + j]);
      }
    }
  }
  return out;
}

/**
 * The reported prediction per row: a classifier's positive-class probability (the last column of
 * `probability`), a regressor's `prediction`; otherwise the first column of the first output.
 */
export function rowPredictions(version: ReportedVersion, result: ort.InferenceSession.ReturnType): Array<number | string> {
  const preferred = version.task === 'classification' ? ['probability', 'probabilities'] : version.task === 'regression' ? ['prediction', 'predictions'] : [];
  const name = preferred.find((n) => result[n]) ?? version.outputs.find((o) => result[o.name])?.name;
  const tensor = name ? (result[name] as ort.Tensor) : undefined;
  if (!tensor) return [];
  const rows = rowsOf(tensor);
  const width = widthOf(tensor);
  const column = version.task === 'classification' ? width - 1 : 0;
  const data = tensor.data as ArrayLike<unknown>;
  return Array.from({ length: rows }, (_, row) => {
    const v = value(data[row * width + column]);
    return v === null || v === '' ? 0 : v;
  });
}

export interface AnswerFacts {
  id: string | undefined;
  timestamp: string;
  latencyMs: number;
  feeds: Record<string, ort.Tensor> | null;
  result: ort.InferenceSession.ReturnType | null;
  error?: string;
}

/**
 * Records of one answer. Rows of a batched request share the request id with a `#row` suffix
 * (the first row keeps the bare id), so each row can be labelled. A failure is one record
 * carrying the error and the features that could be read, with prediction 0 (the API requires one).
 */
export function reportRecords(version: ReportedVersion, facts: AnswerFacts): ReportRecord[] {
  const id = facts.id === undefined ? randomUUID() : recordId(facts.id);
  const features = facts.feeds ? rowFeatures(version, facts.feeds) : [];
  const latencyMs = Math.max(0, facts.latencyMs);
  if (facts.error !== undefined || !facts.result) {
    return [{ id, timestamp: facts.timestamp, features: features[0] ?? {}, prediction: 0, latencyMs, error: (facts.error ?? 'no result').slice(0, 2000) }];
  }
  const predictions = rowPredictions(version, facts.result);
  const rows = Math.max(features.length, predictions.length);
  return Array.from({ length: rows }, (_, row) => ({
    id: rowId(id, row),
    timestamp: facts.timestamp,
    features: features[row] ?? {},
    prediction: predictions[row] ?? 0,
    latencyMs,
  }));
}

/** Longest request id reported as is: with a `#row` suffix it stays within the API's 200 characters. */
const MAX_ID_CHARS = 180;

/**
 * The API refuses a whole batch for one id over 200 characters, so a longer request id is
 * reported as `sha256:` + its hex digest (label senders can compute the same).
 */
export function recordId(requestId: string): string {
  return requestId.length <= MAX_ID_CHARS ? requestId : `sha256:${createHash('sha256').update(requestId).digest('hex')}`;
}

/** The record id of row `row` of request `id`: what label senders must use. */
export function rowId(id: string, row: number): string {
  return row === 0 ? id : `${id}#${row}`;
}
