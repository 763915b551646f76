import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { payloadTooLarge } from '@/lib/errors';

/**
 * Local-directory artifact store: ARTIFACT_DIR, or artifacts/ in the data directory.
 * Files are written to a temporary name while hashing and only then moved into place,
 * so a failed or refused upload leaves nothing behind.
 */
export function artifactRoot(): string {
  if (process.env.ARTIFACT_DIR) return path.resolve(process.env.ARTIFACT_DIR);
  const data = process.env.MODELDECK_DATA_DIR ?? path.join(process.cwd(), '.data');
  return path.join(path.resolve(data), 'artifacts');
}

export function maxArtifactBytes(): number {
  const raw = Number(process.env.ARTIFACT_MAX_BYTES ?? 5 * 1024 ** 3);
  return Number.isFinite(raw) && raw > 0 ? raw : 5 * 1024 ** 3;
}

export interface StagedArtifact {
  sha256: string;
  size: number;
  /** Moves the file to its final key; returns the key. */
  commit(key: string): Promise<string>;
  discard(): Promise<void>;
}

/** Streams a body to a temporary file, hashing as it goes; never buffers the whole artifact. */
export async function stageArtifact(body: ReadableStream<Uint8Array>, limit = maxArtifactBytes()): Promise<StagedArtifact> {
  const root = artifactRoot();
  const tmpDir = path.join(root, '.incoming');
  await mkdir(tmpDir, { recursive: true });
  const tmpFile = path.join(tmpDir, randomUUID());
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
    await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), meter, createWriteStream(tmpFile));
  } catch (error) {
    await rm(tmpFile, { force: true });
    throw error;
  }
  return {
    sha256: hash.digest('hex'),
    size,
    async commit(key: string) {
      const target = path.join(root, key);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tmpFile, target);
      return key;
    },
    discard: () => rm(tmpFile, { force: true }),
  };
}

export async function openArtifact(key: string): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  const file = path.join(artifactRoot(), key);
  const { size } = await stat(file);
  return { stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
}

export async function removeArtifact(key: string): Promise<void> {
  await rm(path.join(artifactRoot(), key), { force: true });
}
