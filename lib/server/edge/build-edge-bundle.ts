import 'server-only';
import { createHash, sign } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { InferenceSession } from 'onnxruntime-node';
import { unprocessable } from '@/lib/errors';
import { quantizeModel, VariantUnavailableError, type ModelVariant } from '@/lib/onnx/quantize';
import type { RequestContext } from '@/lib/server/context';
import { logger } from '@/lib/server/logger';
import { copyStoredOnnx } from './copy-stored-onnx';
import { getSigningPrivateKey } from './get-signing-key';
import { writeTar } from './ustar';
import { BUNDLE_FILES, type BundleManifest } from './verify-bundle';

/**
 * A signed, self-describing package of one ONNX version for devices that run it offline:
 * model.onnx, manifest.json and manifest.json.sig (Ed25519 over manifest.json's bytes).
 * The artifact is copied to a temporary file once — hashed on the way, so a store that
 * returns other bytes than were uploaded is caught — because onnxruntime reads the graph's
 * inputs and outputs from a file and the tar header needs the size before the body.
 */
export async function buildEdgeBundle(ctx: RequestContext, options: { model: string; version: number; variant?: ModelVariant }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'modeldeck-edge-'));
  const cleanup = () =>
    rm(dir, { recursive: true, force: true }).catch((error: unknown) => logger().warn({ err: error, dir }, 'could not remove an edge bundle scratch directory'));
  try {
    const modelPath = path.join(dir, BUNDLE_FILES.model);
    const stored = await copyStoredOnnx(options, modelPath);
    const { version, label } = stored;
    let { sha256, size } = stored;
    if (options.variant) {
      const bytes = quantizeStoredModel(await readFile(modelPath), options.variant, label);
      await writeFile(modelPath, bytes);
      sha256 = createHash('sha256').update(bytes).digest('hex');
      size = bytes.length;
    }
    const privateKey = await getSigningPrivateKey(ctx);

    const manifest: BundleManifest = {
      name: version.model.name,
      version: version.version,
      format: 'onnx',
      features: Array.isArray(version.features) ? (version.features as BundleManifest['features']) : [],
      ...(await readGraphSignature(modelPath, label)),
      sha256,
      createdAt: version.createdAt.toISOString(),
      // Only variants carry the field, so an original bundle's manifest (and signature) is unchanged.
      ...(options.variant ? { variant: options.variant } : {}),
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    const signature = Buffer.from(`${sign(null, manifestBytes, privateKey).toString('base64')}\n`, 'ascii');
    const mtime = Math.floor(version.createdAt.getTime() / 1000);

    const tar = Readable.from(
      writeTar([
        { name: BUNDLE_FILES.manifest, size: manifestBytes.length, mtime, body: manifestBytes },
        { name: BUNDLE_FILES.signature, size: signature.length, mtime, body: signature },
        { name: BUNDLE_FILES.model, size, mtime, body: createReadStream(modelPath) },
      ]),
    );
    const gzip = tar.pipe(createGzip());
    tar.on('error', (error) => gzip.destroy(error));
    gzip.once('close', () => void cleanup());
    return {
      stream: Readable.toWeb(gzip) as ReadableStream<Uint8Array>,
      filename: `${version.model.name}-v${version.version}${options.variant ? `-${options.variant}` : ''}-edge.tar.gz`,
      manifest,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function readGraphSignature(modelPath: string, label: string): Promise<Pick<BundleManifest, 'inputs' | 'outputs'>> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(modelPath);
  } catch (error) {
    throw unprocessable(
      `${label}'s artifact is not an ONNX model onnxruntime can load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      undefined,
      'invalid_onnx',
    );
  }
  try {
    const describe = (values: readonly InferenceSession.ValueMetadata[]) =>
      values.map((value) =>
        value.isTensor ? { name: value.name, type: value.type, shape: [...value.shape] } : { name: value.name, type: null, shape: null },
      );
    return { inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) };
  } finally {
    await session.release();
  }
}

/** The variant's bytes, or 422 `variant_unavailable` naming why the graph does not allow it. */
export function quantizeStoredModel(bytes: Uint8Array, variant: ModelVariant, label: string): Uint8Array {
  try {
    return quantizeModel(bytes, variant);
  } catch (error) {
    if (error instanceof VariantUnavailableError) throw unprocessable(`${label} has no ${variant} variant: ${error.message}`, undefined, 'variant_unavailable');
    throw error;
  }
}
