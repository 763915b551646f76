import 'server-only';
import { createHash, sign } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InferenceSession } from 'onnxruntime-node';
import { AppError, conflict, unprocessable } from '@/lib/errors';
import type { RequestContext } from '@/lib/server/context';
import { logger } from '@/lib/server/logger';
import { artifactStore } from '@/lib/server/registry/artifact-store';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';
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
export async function buildEdgeBundle(ctx: RequestContext, options: { model: string; version: number }) {
  const version = await findVersionOrThrow(options.model, options.version);
  const label = `${version.model.name} v${version.version}`;
  if (version.format && version.format !== 'onnx') {
    throw unprocessable(`${label} is a ${version.format} model; edge bundles hold ONNX models only.`, undefined, 'not_onnx');
  }
  if (!version.artifactKey || !version.artifactSha256) {
    throw conflict(
      version.artifactUri
        ? `${label}'s artifact is not stored in ModelDeck (it lives at ${version.artifactUri}); upload it to build an edge bundle.`
        : `${label} has no artifact yet; upload its ONNX file first.`,
      'no_stored_artifact',
    );
  }
  const privateKey = await getSigningPrivateKey(ctx);

  const dir = await mkdtemp(path.join(tmpdir(), 'modeldeck-edge-'));
  const cleanup = () =>
    rm(dir, { recursive: true, force: true }).catch((error: unknown) => logger().warn({ err: error, dir }, 'could not remove an edge bundle scratch directory'));
  try {
    const modelPath = path.join(dir, BUNDLE_FILES.model);
    const { stream, size } = await artifactStore().open(version.artifactKey);
    const hash = createHash('sha256');
    await pipeline(
      Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(modelPath),
    );
    const sha256 = hash.digest('hex');
    if (sha256 !== version.artifactSha256) {
      logger().error({ model: options.model, version: options.version, expected: version.artifactSha256, actual: sha256 }, 'stored artifact differs from its sha256');
      throw new AppError(502, 'artifact_corrupt', `The stored artifact of ${label} no longer matches its sha256; it cannot be bundled.`);
    }

    const manifest: BundleManifest = {
      name: version.model.name,
      version: version.version,
      format: 'onnx',
      features: Array.isArray(version.features) ? (version.features as BundleManifest['features']) : [],
      ...(await readGraphSignature(modelPath, label)),
      sha256,
      createdAt: version.createdAt.toISOString(),
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
      filename: `${version.model.name}-v${version.version}-edge.tar.gz`,
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
