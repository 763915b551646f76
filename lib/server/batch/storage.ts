import 'server-only';
import path from 'node:path';

/** BATCH_DIR, or batch/ in the data directory: batch inputs and outputs, one folder per job. */
export function batchRoot(): string {
  if (process.env.BATCH_DIR) return path.resolve(process.env.BATCH_DIR);
  const data = process.env.MODELDECK_DATA_DIR ?? path.join(process.cwd(), '.data');
  return path.join(path.resolve(data), 'batch');
}

export function batchPath(key: string): string {
  return path.join(batchRoot(), key);
}

const DEFAULT_MAX_BYTES = 1024 ** 3;

/** BATCH_MAX_INPUT_BYTES (default 1 GiB): the largest input, counted after inflating gzip. */
export function maxBatchInputBytes(): number {
  const raw = Number(process.env.BATCH_MAX_INPUT_BYTES ?? DEFAULT_MAX_BYTES);
  return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_MAX_BYTES;
}

const DEFAULT_CHUNK_ROWS = 100_000;

/**
 * BATCH_CHUNK_ROWS (default 100,000): the most rows written and committed together. Each
 * commit costs an fdatasync and a transaction, so a chunk also closes after BATCH_COMMIT_MS.
 */
export function batchChunkRows(): number {
  const raw = Number(process.env.BATCH_CHUNK_ROWS ?? DEFAULT_CHUNK_ROWS);
  return Number.isInteger(raw) && raw >= 1 && raw <= 1_000_000 ? raw : DEFAULT_CHUNK_ROWS;
}

const DEFAULT_COMMIT_MS = 1_000;

/**
 * BATCH_COMMIT_MS (default 1,000): a chunk is committed once it has been open this long,
 * even short of BATCH_CHUNK_ROWS — the most work a killed run redoes, and the progress
 * refresh interval of a slow job.
 */
export function batchCommitMs(): number {
  const raw = Number(process.env.BATCH_COMMIT_MS ?? DEFAULT_COMMIT_MS);
  return Number.isFinite(raw) && raw >= 0 && raw <= 600_000 ? raw : DEFAULT_COMMIT_MS;
}
