import 'server-only';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/server/logger';
import { localArtifactStore } from './artifact-stores/local';
import { s3ArtifactStore } from './artifact-stores/s3';

/**
 * Where uploaded artifacts live: a local directory (ARTIFACT_STORE=local, the default) or
 * an S3-compatible bucket (ARTIFACT_STORE=s3). Both stage the upload the same way — a
 * temporary file, hashed and measured while it streams — so the sha256 check happens
 * before anything is kept, whichever store keeps it.
 */
export interface ArtifactStore {
  readonly kind: 'local' | 's3';
  /** Streams the body to scratch space; refuses (413) past `limit` bytes. */
  stage(body: ReadableStream<Uint8Array>, limit?: number): Promise<StagedArtifact>;
  open(key: string): Promise<StoredArtifact>;
  /** Removing a key that holds nothing is not an error. */
  remove(key: string): Promise<void>;
}

export interface StagedArtifact {
  sha256: string;
  size: number;
  /** Stores the staged bytes under `key` and drops the scratch copy; returns the key. */
  commit(key: string): Promise<string>;
  discard(): Promise<void>;
}

export interface StoredArtifact {
  stream: ReadableStream<Uint8Array>;
  size: number;
}

/** The store ARTIFACT_STORE names, read at each use (not at import) so tests and restarts can change it. */
export function artifactStore(): ArtifactStore {
  const kind = process.env.ARTIFACT_STORE?.trim().toLowerCase() || 'local';
  if (kind === 'local') return localArtifactStore;
  if (kind === 's3') return s3ArtifactStore;
  const message = `The artifact store is misconfigured: ARTIFACT_STORE must be \`local\` or \`s3\`, not \`${process.env.ARTIFACT_STORE}\`.`;
  logger().error({ ARTIFACT_STORE: process.env.ARTIFACT_STORE }, message);
  throw new AppError(503, 'artifact_store_misconfigured', message);
}
