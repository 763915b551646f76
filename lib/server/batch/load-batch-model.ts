import 'server-only';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as ort from 'onnxruntime-node';
import { toOipTensor } from '@/serving/oip';
import { ModelVersion } from '@/serving/registry';
import { rowPredictions } from '@/serving/report-records';
import type { Task } from '@/serving/state-store';
import { artifactStore } from '@/lib/server/registry/artifact-store';
import type { CellValue, ParsedRow } from './formats/types';
import { batchRoot } from './storage';

/** A version loaded for batch scoring through the model server's own session code. */
export interface BatchModel {
  /** Column names read from each row, in the order of the input tensor's columns. */
  features: string[];
  /** Output columns appended to each row: one per output, `name_j` for wider outputs. */
  predictionColumns: string[];
  /** The column monitoring receives and run metrics are computed from (as the model server reports). */
  reportedColumn: string;
  /** Reads a row's features into `out` at `offset` (row-major), or returns why the row cannot be scored. */
  readRow(row: ParsedRow, out: Float64Array, offset: number): string | null;
  /**
   * The same for rows read against `header`: each feature's column is found once, not per row.
   * Falls back to `readRow` for rows without positional access.
   */
  rowReader(header: readonly string[]): (row: ParsedRow, out: Float64Array, offset: number) => string | null;
  /**
   * Scores `count` rows of features: each output's values (row-major, `width` per row, in the
   * order of `predictionColumns`), and per row the value monitoring receives.
   */
  score(features: Float64Array, count: number): Promise<{ outputs: Array<{ width: number; data: ArrayLike<number | boolean | string> }>; reported: Array<number | string> }>;
  close(): Promise<void>;
}

export class UnscorableModelError extends Error {}

/** Writes one feature's number to `out[at]`, or returns why the value cannot be scored. */
function readValue(name: string, raw: CellValue | undefined, out: Float64Array, at: number): string | null {
  if (raw === undefined || raw === null || raw === '') return `missing feature "${name}"`;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value)) return `feature "${name}" must be a number, got ${JSON.stringify(raw)}`;
  out[at] = value;
  return null;
}

/** The artifact as a local file, cached by sha256 (shared by every job on this version). */
async function localArtifact(key: string, sha256: string): Promise<string> {
  const file = path.join(batchRoot(), '.models', `${sha256}.onnx`);
  try {
    await stat(file);
    return file;
  } catch {
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}.part`;
    const { stream } = await artifactStore().open(key);
    await pipeline(Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>), createWriteStream(partial));
    await rename(partial, file).catch(async (error: unknown) => {
      await rm(partial, { force: true });
      throw error;
    });
    return file;
  }
}

export async function loadBatchModel(version: {
  version: number;
  artifactKey: string | null;
  artifactSha256: string | null;
  format: string | null;
  features: unknown;
  task: Task;
}): Promise<BatchModel> {
  if (!version.artifactKey || !version.artifactSha256) throw new UnscorableModelError(`v${version.version} has no stored artifact to score with.`);
  const file = await localArtifact(version.artifactKey, version.artifactSha256);
  const loaded = new ModelVersion(String(version.version), version.artifactSha256, version.task, file, new Date().toISOString());
  try {
    await loaded.open();
  } catch (error) {
    throw new UnscorableModelError((error as Error).message);
  }
  const input = loaded.inputs.length === 1 ? loaded.inputs[0]! : null;
  if (!input || input.shape.length !== 2 || !['FP32', 'FP64'].includes(input.datatype)) {
    await loaded.close();
    throw new UnscorableModelError('Batch scoring needs a graph with one float input of shape [N, features].');
  }
  const declared = Array.isArray(version.features) ? (version.features as Array<{ name?: unknown }>).map((f) => String(f.name)) : [];
  const features = loaded.featureNames ?? declared;
  const width = input.shape[1]!;
  if (features.length === 0 || (width !== -1 && width !== features.length)) {
    await loaded.close();
    throw new UnscorableModelError(
      `The graph's input takes ${width} columns but v${version.version} names ${features.length} features; register the version with its feature schema.`,
    );
  }
  const widths = new Map<string, number>();
  const predictionColumns: string[] = [];
  for (const output of loaded.outputs) {
    const w = output.shape.slice(1).reduce((a, b) => a * (b === -1 ? 1 : b), 1);
    widths.set(output.name, w);
    if (w === 1) predictionColumns.push(output.name);
    else for (let j = 0; j < w; j++) predictionColumns.push(`${output.name}_${j}`);
  }

  const preferred = version.task === 'classification' ? ['probability', 'probabilities'] : version.task === 'regression' ? ['prediction', 'predictions'] : [];
  const reportedOutput = loaded.outputs.find((o) => preferred.includes(o.name)) ?? loaded.outputs[0]!;
  const reportedWidth = widths.get(reportedOutput.name)!;
  const reportedColumn =
    reportedWidth === 1 ? reportedOutput.name : `${reportedOutput.name}_${version.task === 'classification' ? reportedWidth - 1 : 0}`;

  const readRow: BatchModel['readRow'] = (row, out, offset) => {
    for (let j = 0; j < features.length; j++) {
      const problem = readValue(features[j]!, row.value(features[j]!), out, offset + j);
      if (problem !== null) return problem;
    }
    return null;
  };

  return {
    features,
    predictionColumns,
    reportedColumn,
    readRow,
    rowReader(header) {
      const columns = features.map((name) => header.indexOf(name));
      return (row, out, offset) => {
        if (!row.valueAt) return readRow(row, out, offset);
        for (let j = 0; j < columns.length; j++) {
          const column = columns[j]!;
          const problem = readValue(features[j]!, column === -1 ? undefined : row.valueAt(column), out, offset + j);
          if (problem !== null) return problem;
        }
        return null;
      };
    },
    async score(values, count) {
      // Rows were checked one by one (readRow), so the tensor is built directly rather than
      // through the /infer request parser; the session, its warm-up and the output
      // conversion are the model server's own.
      const data = input.datatype === 'FP32' ? Float32Array.from(values.subarray(0, count * features.length)) : values.slice(0, count * features.length);
      const result = await loaded.session!.run({ [input.name]: new ort.Tensor(input.datatype === 'FP32' ? 'float32' : 'float64', data, [count, features.length]) });
      const outputs = loaded.outputs.map((output) => {
        const tensor = result[output.name] as ort.Tensor | undefined;
        return { width: widths.get(output.name)!, data: tensor ? toOipTensor(output.name, tensor).data : [] };
      });
      return { outputs, reported: rowPredictions(loaded, result) };
    },
    close: () => loaded.close(),
  };
}
