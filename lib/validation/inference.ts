import { z } from 'zod';

/** At most this many values in one tried request: the Try-it page sends one row. */
export const MAX_TRY_VALUES = 10_000;

const ZInferInput = z.object({
  name: z.string().min(1).max(200),
  shape: z.array(z.number().int().min(0).max(MAX_TRY_VALUES)).min(1).max(8),
  datatype: z.enum(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES']),
  data: z.array(z.union([z.number(), z.string().max(10_000), z.boolean()])).max(MAX_TRY_VALUES),
});

export const ZTryInferenceBody = z.object({
  version: z.number().int().positive().optional().describe('Send to this version (it must be loaded there); omit to follow the live traffic split.'),
  inputs: z.array(ZInferInput).min(1).max(16),
});
export type TryInferenceBody = z.infer<typeof ZTryInferenceBody>;

export const ZTryInferenceResult = z.object({
  environment: z.string(),
  backend: z.string(),
  latencyMs: z.number().describe('Round trip from the dashboard to the endpoint and back.'),
  response: z.object({
    model_name: z.string().optional(),
    model_version: z.string().optional(),
    id: z.string().optional(),
    outputs: z.array(z.object({ name: z.string(), shape: z.array(z.number()), datatype: z.string(), data: z.array(z.unknown()) })),
  }).loose(),
});
export type TryInferenceResult = z.infer<typeof ZTryInferenceResult>;
