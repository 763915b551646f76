import 'server-only';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, conflict, unprocessable } from '@/lib/errors';
import { logger } from '@/lib/server/logger';
import { artifactStore } from '@/lib/server/registry/artifact-store';
import { findVersionOrThrow } from '@/lib/server/registry/find-model';

export type StoredOnnxVersion = Awaited<ReturnType<typeof findVersionOrThrow>>;

/**
 * Copies a version's stored ONNX artifact to `destination`, hashing it on the way: a store
 * that returns other bytes than were uploaded is caught before anything is built from them.
 * Edge bundles, their variants and the Try-it page all start here.
 */
export async function copyStoredOnnx(options: { model: string; version: number }, destination: string) {
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
    createWriteStream(destination),
  );
  const sha256 = hash.digest('hex');
  if (sha256 !== version.artifactSha256) {
    logger().error({ model: options.model, version: options.version, expected: version.artifactSha256, actual: sha256 }, 'stored artifact differs from its sha256');
    throw new AppError(502, 'artifact_corrupt', `The stored artifact of ${label} no longer matches its sha256; it cannot be bundled.`);
  }
  return { version, label, sha256, size };
}
