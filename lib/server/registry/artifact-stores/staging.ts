import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { payloadTooLarge } from '@/lib/errors';

/**
 * ARTIFACT_DIR, or artifacts/ in the data directory: the local store's objects, and the
 * scratch space every store stages uploads in (so S3 mode needs room for the largest
 * artifact here too).
 */
export function artifactRoot(): string {
  if (process.env.ARTIFACT_DIR) return path.resolve(process.env.ARTIFACT_DIR);
  const data = process.env.MODELDECK_DATA_DIR ?? path.join(process.cwd(), '.data');
  return path.join(path.resolve(data), 'artifacts');
}

/** Where uploads wait, hashed and measured, until they are kept or thrown away. */
export function stagingDir(): string {
  return path.join(artifactRoot(), '.incoming');
}

export function maxArtifactBytes(): number {
  const raw = Number(process.env.ARTIFACT_MAX_BYTES ?? 5 * 1024 ** 3);
  return Number.isFinite(raw) && raw > 0 ? raw : 5 * 1024 ** 3;
}

export interface StagedFile {
  file: string;
  sha256: string;
  size: number;
}

/**
 * Streams a body to a temporary file, hashing and counting as it goes; never buffers the
 * whole artifact. Over the limit, or on any failure, the temporary file is removed.
 */
export async function stageToFile(body: ReadableStream<Uint8Array>, limit: number): Promise<StagedFile> {
  const dir = stagingDir();
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        callback(payloadTooLarge(`The artifact is larger than ARTIFACT_MAX_BYTES (${limit} bytes).`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), meter, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { file, sha256: hash.digest('hex'), size };
}
