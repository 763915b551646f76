import { z } from 'zod';

/** An Open Inference Protocol v2 request: one FP32 input "X" of shape [rows, features], row-major. */
export interface InferRequest {
  id: string;
  inputs: [{ name: 'X'; shape: [number, number]; datatype: 'FP32'; data: number[] }];
}

export function buildInferRequest(id: string, rows: readonly (readonly number[])[]): InferRequest {
  const width = rows[0]?.length ?? 0;
  if (rows.length === 0 || width === 0 || rows.some((row) => row.length !== width)) {
    throw new RangeError('An infer request needs at least one row, all rows of the same non-zero width.');
  }
  return { id, inputs: [{ name: 'X', shape: [rows.length, width], datatype: 'FP32', data: rows.flat() }] };
}

/** The environment's endpoint ({server}/environments/{env}) followed by the OIP v2 path. */
export function modelUrl(server: string, environment: string, model: string, suffix = ''): string {
  return `${server}/environments/${encodeURIComponent(environment)}/v2/models/${encodeURIComponent(model)}${suffix}`;
}

const ZInferResponse = z.object({
  model_version: z.union([z.string(), z.number()]).optional(),
  id: z.string().optional(),
  outputs: z.array(z.object({ name: z.string(), data: z.array(z.union([z.number(), z.string(), z.boolean()])) })),
});

export interface InferResult {
  modelVersion: string | null;
  /** The record id the model server reported the prediction under (labels are sent with it). */
  id: string | null;
  /** Output tensors by name, flattened; int64 labels may arrive as strings and are converted. */
  outputs: Record<string, number[]>;
}

export function readInferResponse(body: unknown): InferResult {
  const parsed = ZInferResponse.safeParse(body);
  if (!parsed.success) throw new Error(`Not an OIP v2 infer response: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}.`);
  return {
    modelVersion: parsed.data.model_version === undefined ? null : String(parsed.data.model_version),
    id: parsed.data.id ?? null,
    outputs: Object.fromEntries(parsed.data.outputs.map((o) => [o.name, o.data.map(Number)])),
  };
}

/** The `{"error": "…"}` text of a failed response, or its status line. */
export function errorText(status: number, body: unknown): string {
  const message = typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' ? body.error : null;
  return message ? `${status} ${message}` : `HTTP ${status}`;
}
