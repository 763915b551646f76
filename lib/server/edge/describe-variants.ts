import 'server-only';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareModelOutputs } from '@/lib/onnx/compare-outputs';
import { MODEL_VARIANTS, quantizeModel, VariantUnavailableError } from '@/lib/onnx/quantize';
import type { ModelVariants } from '@/lib/validation/edge';
import { copyStoredOnnx } from './copy-stored-onnx';
import { evaluationRows } from './evaluation-rows';

/**
 * What each quantized variant of a version would be: whether the graph allows it, its size,
 * and how far its answers are from the original's on the version's evaluation rows —
 * measured now with onnxruntime-node, not estimated.
 */
export async function describeVariants(options: { model: string; version: number }): Promise<ModelVariants> {
  const dir = await mkdtemp(path.join(tmpdir(), 'modeldeck-variants-'));
  try {
    const file = path.join(dir, 'model.onnx');
    const { version } = await copyStoredOnnx(options, file);
    const original = await readFile(file);
    const features = Array.isArray(version.features) ? (version.features as { name: string; type: string }[]) : [];
    const evaluation = await evaluationRows(version.id, version.model.name, features);
    const variants: ModelVariants['variants'] = [];
    for (const variant of MODEL_VARIANTS) {
      let bytes: Uint8Array;
      try {
        bytes = quantizeModel(original, variant);
      } catch (error) {
        if (!(error instanceof VariantUnavailableError)) throw error;
        variants.push({ variant, available: false, reason: error.message, bytes: null, outputs: null });
        continue;
      }
      let outputs: ModelVariants['variants'][number]['outputs'] = null;
      let reason: string | null = null;
      if (evaluation.rows.length > 0) {
        try {
          outputs = (await compareModelOutputs(original, bytes, evaluation.rows)).outputs;
        } catch (error) {
          reason = `Could not be measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
        }
      }
      variants.push({ variant, available: true, reason, bytes: bytes.length, outputs });
    }
    return {
      originalBytes: original.length,
      evaluation: { source: evaluation.source, rows: evaluation.rows.length, description: evaluation.description },
      variants,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
